/// title: writer i: maybe writes, then waits
int writer(int i, int p[2], int release[2], int rfd[])
{
    close(release[1]);                                   $Close
    close(p[0]);                                         $Close
    for (j = 0; j < i; j++)                              $loop
        close(rfd[j]);      /* earlier pipes' read ends */   $Close $end
    if (sends)
        write(p[1], "ready!", 6);                        $Write
    read(release[0], &c, 1);    /* 0 when parent lets go */  $Read
    close(release[0]);                                   $Close
    close(p[1]);                                         $Close
    return 0;
}
