/// title: parent: the writer fills the pipe
int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    long cap = fcntl(fd[1], F_SETPIPE_SZ, capacity);     $SetPipeSize
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return reader(fd);
    close(fd[0]);                                        $Close
    for (sent = 0; sent < 2 * cap; sent += n) {          $loop
        ioctl(fd[1], FIONREAD, &in_pipe);   /* bytes in it now */
        /* blocks while the pipe holds cap bytes */
        n = write(fd[1], data, chunk);                   $Write
    }                                                    $end
    close(fd[1]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return WEXITSTATUS(status);
}
