/// title: parent: writes everything before reading
int main(void)
{
    int down[2], up[2];         /* parent -> child, child -> parent */
    pipe(down);                                          $PipeCreated
    pipe(up);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(down, up);
    close(down[0]);                                      $Close
    close(up[1]);                                        $Close
    for (off = 0; off < bytes; off += n)                 $loop
        n = write(down[1], req + off, chunk);  /* blocks when full */   $Write $end
    close(down[1]);                                      $Close
    while ((n = read(up[0], buf, 65536)) > 0)            $Read $loop $end
        got += n;
    close(up[0]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return got == bytes ? 0 : 1;
}
