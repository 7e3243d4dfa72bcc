# title: writer: waits, then writes
def writer(r, w):
    msg = b"data has arrived"
    os.close(r)                                          $Close
    time.sleep(0.3)                                      $Sleep
    view = memoryview(msg)
    while view:                                          $loop
        view = view[os.write(w, view):]                  $Write $end
    os.close(w)                                          $Close
    return 0
