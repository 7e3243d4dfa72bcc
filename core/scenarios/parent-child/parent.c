/// title: parent: writes, then closes
int main(void)
{
    const char msg[] = "Hello child process!";
    size_t len = strlen(msg), off;
    ssize_t n;
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(fd);       /* the child's listing */
    close(fd[0]);               /* we only write */      $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], msg + off, len - off);          $Write $end
    close(fd[1]);               /* child's read -> 0 */  $Close
    int status;
    waitpid(pid, &status, 0);                            $Wait
    return WEXITSTATUS(status);
}
