/// title: reader: checks every byte
int reader(int fd[2])
{
    close(fd[1]);                                        $Close
    for (;;) {                                           $loop
        ssize_t n = read(fd[0], buf, chunk);             $Read
        if (n <= 0)
            break;              /* 0: EOF */
        bad += !matches(pattern, received, buf, n);
        received += n;
        if (delay_ms > 0)
            usleep(delay_ms * 1000);                     $Sleep
    }                                                    $end
    close(fd[0]);                                        $Close
    return received == total && bad == 0 ? 0 : 1;
}
