/// title: reader: starts late
int reader(int fd[2])
{
    close(fd[1]);                                        $Close
    if (!fixed)
        usleep(1500 * 1000);    /* meanwhile the pipe fills */   $Sleep
    while ((n = read(fd[0], buf, 65536)) > 0)            $Read $loop $end
        got += n;
    close(fd[0]);                                        $Close
    return got == total ? 0 : 1;
}
