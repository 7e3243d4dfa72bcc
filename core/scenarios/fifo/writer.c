/// title: writer: a stranger that opens the same name
int writer(const char *path)
{
    const char msg[] = "hello by name";
    usleep(300 * 1000);         /* the reader waits in open */  $Sleep
    int fd = open(path, O_WRONLY);  /* both opens return */  $Open
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd, msg + off, len - off);             $Write $end
    close(fd);                  /* reader sees EOF */    $Close
    return 0;
}
