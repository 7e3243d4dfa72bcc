# title: child: writes, then reads, on its one end
def child(a, b):
    a.close()                   # the parent's end       $Close
    view = memoryview(b"pong from child")
    while view:                                          $loop
        view = view[b.send(view):]                       $Write $end
    got = b""
    while len(got) < len(b"ping from parent"):           $loop
        got += b.recv(len(b"ping from parent") - len(got))  $Read $end
    b.close()                   # parent sees EOF        $Close
    return 0 if got == b"ping from parent" else 1
