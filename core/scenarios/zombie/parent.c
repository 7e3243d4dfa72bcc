/// title: parent: waits late
int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(fd);
    close(fd[1]);                                        $Close
    while ((n = read(fd[0], buf, 256)) > 0)              $Read $loop $end
        ;                       /* EOF: the child is exiting */
    close(fd[0]);                                        $Close
    if (!fixed)
        usleep(1500 * 1000);    /* child: state Z, a zombie */   $Sleep
    waitpid(pid, &status, 0);   /* reaps it: /proc/PID goes */   $Wait
    return WEXITSTATUS(status);
}
