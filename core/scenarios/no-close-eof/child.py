# title: child: waits for EOF
def child(r, w):
    os.close(w)                 # the child does its part    $Close
    got = b""
    while chunk := os.read(r, 4096):                     $Read $loop $end
        got += chunk
    # os.read gave b"": every write end is closed
    os.close(r)                                          $Close
    return 0 if got == msg else 1
