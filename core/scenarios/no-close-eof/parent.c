/// title: parent: forgets close(fd[1])
int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(fd);
    close(fd[0]);                                        $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], msg + off, len - off);          $Write $end
    if (fixed)
        close(fd[1]);           /* the last write end */ $Close
    /* not fixed: fd[1] stays open, so the child never reads 0 */
    waitpid(pid, &status, 0);   /* waits for ever */     $Wait
    if (!fixed)
        close(fd[1]);           /* never reached */      $Close
    return WEXITSTATUS(status);
}
