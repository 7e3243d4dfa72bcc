/// title: child: says goodbye and exits
int child(int fd[2])
{
    const char bye[] = "done, exiting now";
    close(fd[0]);                                        $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], bye + off, len - off);          $Write $end
    close(fd[1]);                                        $Close
    return 0;                   /* exits: a zombie until waited for */
}
