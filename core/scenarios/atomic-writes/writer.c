/// title: writer X: one write() per record
int writer(char letter, int p[2], int start[2])
{
    close(p[0]);                                         $Close
    close(start[1]);                                     $Close
    read(start[0], &c, 1);      /* waits for "go" (EOF) */   $Read
    close(start[0]);                                     $Close
    memset(record, letter, size);   /* every byte names its writer */
    for (r = 0; r < records; r++)                        $loop
        write(p[1], record, size);  /* atomic if <= PIPE_BUF */   $Write $end
    close(p[1]);                                         $Close
    return 0;
}
