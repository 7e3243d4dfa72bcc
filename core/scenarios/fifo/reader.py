# title: reader: opens by name, waits for a writer
def reader(path):
    # blocks until some process opens it for writing
    fd = os.open(path, os.O_RDONLY)                      $Open
    got = b""
    while chunk := os.read(fd, 256):                     $Read $loop $end
        got += chunk            # b"": the writer closed
    os.close(fd)                                         $Close
    return 0 if got == b"hello by name" else 1
