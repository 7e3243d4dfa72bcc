# title: reader: starts once the writer is stuck
def reader(r, w):
    os.close(w)                                          $Close
    if not fixed:
        # until the kernel puts the writer to sleep in write():
        # /proc/<writer>/wchan reads anon_pipe_write
        while not asleep_in_pipe_write(writer) and not writer_closed(r):
            time.sleep(look_ms / 1000)
        time.sleep(reader_delay_ms / 1000)  # it stays blocked   $Sleep
    got = 0
    while chunk := os.read(r, 65536):                    $Read $loop $end
        got += len(chunk)
    os.close(r)                                          $Close
    return 0 if got == total else 1
