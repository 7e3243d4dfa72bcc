# title: parent: polls with O_NONBLOCK
def main():
    # O_NONBLOCK on both ends (or later: fcntl.fcntl(r, F_SETFL, os.O_NONBLOCK))
    r, w = os.pipe2(os.O_NONBLOCK)                       $PipeCreated
    try:
        os.read(r, 4096)        # empty: BlockingIOError (EAGAIN)   $Read
    except BlockingIOError:
        pass
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(writer(r, w))
    os.close(w)                                          $Close
    got = b""
    while True:                                          $loop
        try:
            chunk = os.read(r, 4096)                     $Read
        except BlockingIOError:
            time.sleep(0.1)         # nothing yet        $Sleep
            continue
        if not chunk:
            break                   # b"": EOF
        got += chunk                                     $end
    os.close(r)                                          $Close
    os.waitpid(pid, 0)                                   $Wait
    return 0 if got == b"data has arrived" else 1
