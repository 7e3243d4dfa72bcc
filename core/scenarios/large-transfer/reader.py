# title: reader: checks every byte
def reader(r, w):
    os.close(w)                                          $Close
    # start once the kernel has put the writer to sleep on the full pipe
    while not asleep_in_pipe_write(writer) and not writer_closed(r):
        time.sleep(look_ms / 1000)
    received = bad = 0
    while True:                                          $loop
        data = os.read(r, chunk)                         $Read
        if not data:
            break               # b"": EOF
        bad += not matches(pattern, received, data)
        received += len(data)
        if delay_ms > 0:
            time.sleep(delay_ms / 1000)                  $Sleep $end
    os.close(r)                                          $Close
    return 0 if received == total and bad == 0 else 1
