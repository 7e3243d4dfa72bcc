/// title: cat: inherits what it does not know
int cat_main(int feed[2], int status[2])
{
    dup2(feed[0], STDIN_FILENO);                         $Dup2
    close(feed[0]);                                      $Close
    close(feed[1]);                                      $Close
    close(status[0]);                                    $Close
    /* data[0], data[1]: not touched, this code does not know them */
    char *argv[] = {"cat", NULL};
    execvp("cat", argv);  /* keeps every fd without O_CLOEXEC */   $Exec
    write(status[1], &errno, sizeof errno);              $Write
    _exit(127);
}
