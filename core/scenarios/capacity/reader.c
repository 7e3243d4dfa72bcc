/// title: reader: starts once the writer is stuck
int reader(int fd[2])
{
    close(fd[1]);                                        $Close
    if (!fixed) {
        /* until the kernel puts the writer to sleep in write():
           /proc/<writer>/wchan reads anon_pipe_write */
        while (!asleep_in_pipe_write(writer) && !writer_closed(fd[0]))
            usleep(look_ms * 1000);
        usleep(reader_delay_ms * 1000); /* it stays blocked */   $Sleep
    }
    while ((n = read(fd[0], buf, 65536)) > 0)            $Read $loop $end
        got += n;
    close(fd[0]);                                        $Close
    return got == total ? 0 : 1;
}
