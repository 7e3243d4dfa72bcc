/// title: writer: waits, then writes
int writer(int fd[2])
{
    const char msg[] = "data has arrived";
    close(fd[0]);                                        $Close
    usleep(300 * 1000);                                  $Sleep
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], msg + off, len - off);          $Write $end
    close(fd[1]);                                        $Close
    return 0;
}
