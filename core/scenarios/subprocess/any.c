/// title: child: becomes cat (execvp)
/// role: *
int child(int to[2], int from[2], int status[2])
{
    dup2(to[0], STDIN_FILENO);      /* fd 0 = the pipe */    $Dup2
    dup2(from[1], STDOUT_FILENO);   /* fd 1 = the pipe */    $Dup2
    close(to[0]);                                        $Close
    close(to[1]);                                        $Close
    close(from[0]);                                      $Close
    close(from[1]);                                      $Close
    close(status[0]);                                    $Close
    char *argv[] = {"cat", NULL};
    execvp(argv[0], argv);  /* from here on: cat (traced) */  $Exec
    int err = errno;        /* only when exec failed */
    write(status[1], &err, sizeof err);                  $Write
    _exit(127);
}
