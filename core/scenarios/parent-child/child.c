/// title: child: reads until EOF
int child(int fd[2])
{
    char buf[256];
    ssize_t n;
    close(fd[1]);   /* else our own write end keeps EOF away */   $Close
    while ((n = read(fd[0], buf, sizeof buf)) > 0)       $Read $loop $end
        append(got, buf, n);
    close(fd[0]);               /* read returned 0: EOF */   $Close
    return strcmp(got, "Hello child process!") != 0;
}
