/// title: parent: starts a reader and a writer
int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t reader = fork();                               $Fork
    if (reader == 0)
        return reader_main(fd);
    pid_t writer = fork();                               $Fork
    if (writer == 0)
        return writer_main(fd);
    close(fd[0]);                                        $Close
    close(fd[1]);                                        $Close
    waitpid(reader, &rst, 0);                            $Wait
    waitpid(writer, &wst, 0);   /* SIGPIPE killed it? */ $Wait
    return WIFEXITED(wst) && WEXITSTATUS(wst) == 0 ? 0 : 1;
}
