# title: reader: quits early
def reader_main(r, w):
    os.close(w)                                          $Close
    if not fixed:
        data = os.read(r, 4096)     # one read, then quit    $Read
    else:
        while chunk := os.read(r, 65536):                $Read=65536 $loop $end
            got += len(chunk)
    os.close(r)                 # no read end left       $Close
    return 0
