/// title: reader: waits for an EOF cat denies
int reader_main(int data[2], int feed[2])
{
    close(data[1]);                                      $Close
    close(feed[1]);                                      $Close
    while ((n = read(data[0], buf, sizeof buf)) > 0)     $Read $loop $end
        append(got, buf, n);
    close(data[0]);                                      $Close
    return strcmp(got, msg) != 0;
}
