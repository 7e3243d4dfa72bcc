/// title: reader: checks every byte
int reader(int fd[2])
{
    close(fd[1]);                                        $Close
    /* start once the kernel has put the writer to sleep on the full pipe */
    while (!asleep_in_pipe_write(writer) && !writer_closed(fd[0]))
        usleep(look_ms * 1000);
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
