/// title: writer: writes into a pipe nobody reads
int writer_main(int fd[2])
{
    close(fd[0]);                                        $Close
    if (ignore_sigpipe)
        signal(SIGPIPE, SIG_IGN);
    while (sent < total) {                               $loop
        /* no reader left: SIGPIPE kills us, or -1 EPIPE */
        ssize_t r = write(fd[1], chunk, 65536);          $Write
        if (r < 0)
            break;
        sent += r;
    }                                                    $end
    close(fd[1]);                                        $Close
    return sent == total ? 0 : 1;
}
