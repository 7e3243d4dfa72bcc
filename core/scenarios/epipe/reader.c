/// title: reader: quits early
int reader_main(int fd[2])
{
    close(fd[1]);                                        $Close
    if (!fixed)
        n = read(fd[0], buf, 4096);  /* one read, then quit */   $Read
    else
        while ((n = read(fd[0], buf, 65536)) > 0)        $Read=65536 $loop $end
            got += n;
    close(fd[0]);               /* no read end left */   $Close
    return 0;
}
