# title: parent: a pipe without O_CLOEXEC
def main():
    # os.pipe() would be close-on-exec (PEP 446); pipe2(0) is C's pipe()
    data_r, data_w = os.pipe2(os.O_CLOEXEC if fixed else 0)  # the leak   $PipeCreated
    feed_r, feed_w = os.pipe()  # cat's stdin, O_CLOEXEC     $PipeCreated
    err_r, err_w = os.pipe()    # exec's errno, or EOF   $PipeCreated
    cat = os.fork()                                      $Fork
    if cat == 0:
        cat_main(feed_r, feed_w, err_r, err_w)
    os.close(feed_r)                                     $Close
    os.close(err_w)                                      $Close
    err = os.read(err_r, 4)     # b"": exec worked       $Read
    os.close(err_r)                                      $Close
    reader = os.fork()                                   $Fork
    if reader == 0:
        os._exit(reader_main(data_r, data_w, feed_w))
    os.close(data_r)                                     $Close
    os.write(data_w, msg)                                $Write
    os.close(data_w)    # but cat still holds a copy     $Close
    os.waitpid(reader, 0)       # the reader waits for EOF   $Wait
    os.close(feed_w)            # cat sees EOF, exits    $Close
    os.waitpid(cat, 0)                                   $Wait
    return 0
