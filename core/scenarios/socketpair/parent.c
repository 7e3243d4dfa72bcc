/// title: parent: one socket pair, both ways
int main(void)
{
    int sv[2];                  /* two ends, each reads and writes */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);             $SocketPair
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(sv);
    close(sv[1]);               /* the child's end */    $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(sv[0], req + off, len - off);          $Write $end
    while ((n = read(sv[0], buf, sizeof buf)) > 0)       $Read $loop $end
        append(answer, buf, n); /* same fd, other way */
    close(sv[0]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return strcmp(answer, "pong from child") != 0;
}
