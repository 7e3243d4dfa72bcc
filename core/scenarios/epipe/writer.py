# title: writer: writes into a pipe nobody reads
def writer_main(r, w):
    os.close(r)                                          $Close
    if not ignore_sigpipe:
        # Python starts with SIGPIPE ignored: put back C's default
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    chunk = b"w" * 65536
    while sent < total:                                  $loop
        try:        # no reader left: SIGPIPE kills us, or EPIPE
            sent += os.write(w, chunk[:total - sent])    $Write
        except BrokenPipeError:
            break                                        $end
    os.close(w)                                          $Close
    return 0 if sent == total else 1
