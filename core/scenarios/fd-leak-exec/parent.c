/// title: parent: a pipe without O_CLOEXEC
int main(void)
{
    pipe2(data, fixed ? O_CLOEXEC : 0);  /* the pipe that leaks */   $PipeCreated
    pipe2(feed, O_CLOEXEC);     /* cat's stdin */        $PipeCreated
    pipe2(status, O_CLOEXEC);   /* exec's errno, or EOF */   $PipeCreated
    pid_t cat = fork();                                  $Fork
    if (cat == 0)
        return cat_main(feed, status);
    close(feed[0]);                                      $Close
    close(status[1]);                                    $Close
    n = read(status[0], &err, sizeof err);  /* 0: exec worked */   $Read
    close(status[0]);                                    $Close
    pid_t reader = fork();                               $Fork
    if (reader == 0)
        return reader_main(data, feed);
    close(data[0]);                                      $Close
    write(data[1], msg, strlen(msg));                    $Write
    close(data[1]);     /* but cat still holds a copy */ $Close
    waitpid(reader, &st, 0);    /* the reader waits for EOF */   $Wait
    close(feed[1]);             /* cat sees EOF, exits */    $Close
    waitpid(cat, &st, 0);                                $Wait
    return 0;
}
