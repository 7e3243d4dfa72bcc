/// title: parent: feeds cat, reads its output
int main(void)
{
    int to[2], from[2], status[2];
    pipe(to);                   /* parent -> cat's stdin */    $PipeCreated
    pipe(from);                 /* cat's stdout -> parent */   $PipeCreated
    pipe2(status, O_CLOEXEC);   /* exec's errno, or EOF */     $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(to, from, status);
    close(to[0]);                                        $Close
    close(from[1]);                                      $Close
    close(status[1]);                                    $Close
    n = read(status[0], &err, sizeof err);  /* 0: exec worked */   $Read
    close(status[0]);                                    $Close
    if (n > 0)
        return fail(pid, err);  /* closes to[1], from[0]; waitpid */
    for (off = 0; off < len; off += n)                   $loop
        n = write(to[1], msg + off, len - off);          $Write $end
    close(to[1]);               /* cat sees EOF on stdin */    $Close
    while ((n = read(from[0], buf, sizeof buf)) > 0)     $Read $loop $end
        append(output, buf, n);
    close(from[0]);                                      $Close
    waitpid(pid, &st, 0);                                $Wait
    return strcmp(output, msg) != 0;
}
