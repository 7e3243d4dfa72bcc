# title: child: says goodbye and exits
def child(r, w):
    bye = b"done, exiting now"
    os.close(r)                                          $Close
    view = memoryview(bye)
    while view:                                          $loop
        view = view[os.write(w, view):]                  $Write $end
    os.close(w)                                          $Close
    return 0                    # exits: a zombie until waited for
