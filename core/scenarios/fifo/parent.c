/// title: parent: names a pipe, starts two strangers
int main(void)
{
    char dir[] = "/tmp/pipescope-fifo-XXXXXX";
    mkdtemp(dir);               /* a private folder for the name */
    snprintf(path, sizeof path, "%s/fifo", dir);
    mkfifo(path, 0600);         /* a pipe with a name, no fds yet */  $Mkfifo
    pid_t r = fork();                                    $Fork
    if (r == 0)
        return reader(path);    /* opens it by name */
    pid_t w = fork();                                    $Fork
    if (w == 0)
        return writer(path);    /* so does its sibling */
    waitpid(r, &status, 0);                              $Wait
    waitpid(w, &status, 0);                              $Wait
    unlink(path);               /* the name outlives them */
    rmdir(dir);
    return 0;
}
