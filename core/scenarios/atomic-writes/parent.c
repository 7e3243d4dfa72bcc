/// title: parent: reads and counts splits
int main(void)
{
    int p[2], start[2];
    pipe(p);                    /* shared by every writer */ $PipeCreated
    pipe(start);                /* its EOF means "go" */ $PipeCreated
    for (w = 0; w < writers; w++) {                      $loop
        pid[w] = fork();                                 $Fork
        if (pid[w] == 0)
            return writer('A' + w, p, start);
    }                                                    $end
    close(p[1]);                                         $Close
    close(start[0]);                                     $Close
    close(start[1]);            /* every writer: go */   $Close
    while ((n = read(p[0], buf, 65536)) > 0)             $Read $loop $end
        splits += count_runs(buf, n, size);  /* a run ending mid-record */
    close(p[0]);                                         $Close
    for (w = 0; w < writers; w++)                        $loop
        waitpid(pid[w], &st, 0);                         $Wait $end
    return splits == 0 ? 0 : 1;
}
