/// title: parent: select over the read ends
int main(void)
{
    pipe(release);      /* writers wait for its EOF */   $PipeCreated
    for (i = 0; i < npipes; i++) {                       $loop
        pipe(p);                                         $PipeCreated
        pid[i] = fork();                                 $Fork
        if (pid[i] == 0)
            return writer(i, p, release, rfd);
        close(p[1]);                                     $Close
        rfd[i] = p[0];
    }                                                    $end
    close(release[0]);                                   $Close
    while (seen < expected) {                            $loop
        fd_set set = watching;
        select(maxfd + 1, &set, NULL, NULL, &timeout);   $Select
        for (fd = 0; fd <= maxfd; fd++)                  $loop
            if (FD_ISSET(fd, &set))
                read(fd, buf, len), seen++;              $Read $end $end
    }
    /* a last look, timeout 0: the others are still not ready */
    select(maxfd + 1, &rest, NULL, NULL, &zero);         $Select=0
    close(release[1]);  /* every writer's read gets 0 */ $Close
    for (i = 0; i < npipes; i++)                         $loop
        waitpid(pid[i], &st, 0);                         $Wait $end
    for (i = 0; i < npipes; i++)                         $loop
        close(rfd[i]);                                   $Close $end
    return 0;
}
