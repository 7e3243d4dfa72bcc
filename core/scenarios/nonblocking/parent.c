/// title: parent: polls with O_NONBLOCK
int main(void)
{
    char buf[4096];
    int fd[2];
    pipe2(fd, O_NONBLOCK);                               $PipeCreated
    read(fd[0], buf, sizeof buf);   /* empty: -1 EAGAIN */   $Read
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return writer(fd);
    close(fd[1]);                                        $Close
    for (;;) {                                           $loop
        ssize_t n = read(fd[0], buf, sizeof buf);        $Read
        if (n > 0)
            append(got, buf, n);
        else if (n < 0 && errno == EAGAIN)
            usleep(100 * 1000);     /* nothing yet */    $Sleep
        else
            break;                  /* 0: EOF */
    }                                                    $end
    close(fd[0]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return strcmp(got, "data has arrived") != 0;
}
