# title: child: reads all, then answers
def child(down_r, down_w, up_r, up_w):
    os.close(down_w)                                     $Close
    os.close(up_r)                                       $Close
    got = b""
    while chunk := os.read(down_r, 4096):                $Read $loop $end
        got += chunk
    os.close(down_r)                                     $Close
    view = memoryview(b"pong from child")
    while view:                                          $loop
        view = view[os.write(up_w, view):]               $Write $end
    os.close(up_w)              # parent sees EOF        $Close
    return 0 if got == b"ping from parent" else 1
