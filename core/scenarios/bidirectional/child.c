/// title: child: reads all, then answers
int child(int down[2], int up[2])
{
    close(down[1]);                                      $Close
    close(up[0]);                                        $Close
    while ((n = read(down[0], buf, sizeof buf)) > 0)     $Read $loop $end
        append(got, buf, n);
    close(down[0]);                                      $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(up[1], reply + off, len - off);        $Write $end
    close(up[1]);               /* parent sees EOF */    $Close
    return strcmp(got, "ping from parent") != 0;
}
