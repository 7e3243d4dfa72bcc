# title: child: also writes first (unless fixed)
def child(down_r, down_w, up_r, up_w):
    os.close(down_w)                                     $Close
    os.close(up_r)                                       $Close
    got, ans = 0, b"c" * nbytes
    if fixed:   # read first: the parent can finish
        while data := os.read(down_r, 65536):            $Read $loop $end
            got += len(data)
    for off in range(0, nbytes, chunk):                  $loop
        os.write(up_w, ans[off:off + chunk])  # blocks when full   $Write $end
    if not fixed:   # never reached: both block in write
        while data := os.read(down_r, 65536):            $Read $loop $end
            got += len(data)
    os.close(up_w)                                       $Close
    os.close(down_r)                                     $Close
    return 0 if got == nbytes else 1
