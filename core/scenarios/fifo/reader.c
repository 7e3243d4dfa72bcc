/// title: reader: opens by name, waits for a writer
int reader(const char *path)
{
    /* blocks until some process opens it for writing */
    int fd = open(path, O_RDONLY);                       $Open
    while ((n = read(fd, buf, sizeof buf)) > 0)          $Read $loop $end
        append(got, buf, n);    /* 0: the writer closed */
    close(fd);                                           $Close
    return strcmp(got, "hello by name") != 0;
}
