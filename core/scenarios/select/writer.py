# title: writer i: maybe writes, then waits
def writer(i, r, w, rel_r, rel_w, rfds):
    os.close(rel_w)                                      $Close
    os.close(r)                                          $Close
    for fd in rfds:                                      $loop
        os.close(fd)        # earlier pipes' read ends   $Close $end
    if sends:
        os.write(w, b"ready!")                           $Write
    os.read(rel_r, 1)           # b"" when parent lets go    $Read
    os.close(rel_r)                                      $Close
    os.close(w)                                          $Close
    return 0
