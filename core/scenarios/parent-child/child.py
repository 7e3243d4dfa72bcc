# title: child: reads until EOF
def child(r, w):
    got = b""
    os.close(w)     # else our own write end keeps EOF away   $Close
    while chunk := os.read(r, 256):                      $Read $loop $end
        got += chunk
    # os.read gave b"": EOF, every write end is closed
    os.close(r)                                          $Close
    return 0 if got == b"Hello child process!" else 1
