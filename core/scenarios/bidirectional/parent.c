/// title: parent: request down, reply up
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
    for (off = 0; off < len; off += n)                   $loop
        n = write(down[1], req + off, len - off);        $Write $end
    close(down[1]);             /* child sees EOF */     $Close
    while ((n = read(up[0], buf, sizeof buf)) > 0)       $Read $loop $end
        append(answer, buf, n);
    close(up[0]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return strcmp(answer, "pong from child") != 0;
}
