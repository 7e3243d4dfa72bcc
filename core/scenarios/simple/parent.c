/// title: parent: one process, both ends
int main(void)
{
    const char msg[] = "Hello, pipe!";
    char buf[sizeof msg];
    int fd[2];                  /* fd[0]: read end, fd[1]: write end */
    pipe(fd);                                            $PipeCreated
    write(fd[1], msg, strlen(msg));                      $Write
    ssize_t n = read(fd[0], buf, strlen(msg));           $Read
    close(fd[1]);                                        $Close
    close(fd[0]);                                        $Close
    return n == strlen(msg) && memcmp(buf, msg, n) == 0 ? 0 : 1;
}
