/// title: child: waits for EOF
int child(int fd[2])
{
    close(fd[1]);               /* the child does its part */   $Close
    while ((n = read(fd[0], buf, sizeof buf)) > 0)       $Read $loop $end
        append(got, buf, n);
    /* read returned 0: every write end is closed */
    close(fd[0]);                                        $Close
    return strcmp(got, msg) != 0;
}
