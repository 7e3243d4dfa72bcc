/// title: parent: the writer
int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    if (capacity > 0)
        fcntl(fd[1], F_SETPIPE_SZ, capacity);            $SetPipeSize
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return reader(fd);
    close(fd[0]);                                        $Close
    for (sent = 0; sent < total; sent += n)              $loop
        /* sleeps in the kernel while the pipe is full */
        n = write(fd[1], pattern + sent % P, chunk);     $Write $end
    close(fd[1]);               /* reader sees EOF */    $Close
    waitpid(pid, &status, 0);                            $Wait
    return WEXITSTATUS(status);
}
