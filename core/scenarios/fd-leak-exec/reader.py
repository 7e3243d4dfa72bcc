# title: reader: waits for an EOF cat denies
def reader_main(data_r, data_w, feed_w):
    os.close(data_w)                                     $Close
    os.close(feed_w)                                     $Close
    got = b""
    while chunk := os.read(data_r, 4096):                $Read $loop $end
        got += chunk
    os.close(data_r)                                     $Close
    return 0 if got == msg else 1
