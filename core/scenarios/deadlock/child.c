/// title: child: also writes first (unless fixed)
int child(int down[2], int up[2])
{
    close(down[1]);                                      $Close
    close(up[0]);                                        $Close
    if (fixed)
        while ((n = read(down[0], buf, 65536)) > 0)      $Read $loop $end
            got += n;           /* read first: the parent can finish */
    for (off = 0; off < bytes; off += n)                 $loop
        n = write(up[1], ans + off, chunk);  /* blocks when full */   $Write $end
    if (!fixed)
        while ((n = read(down[0], buf, 65536)) > 0)      $Read $loop $end
            got += n;           /* never reached: both block in write */
    close(up[1]);                                        $Close
    close(down[0]);                                      $Close
    return got == bytes ? 0 : 1;
}
