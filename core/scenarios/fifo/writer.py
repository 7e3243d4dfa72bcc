# title: writer: a stranger that opens the same name
def writer(path):
    time.sleep(0.3)             # the reader waits in open  $Sleep
    fd = os.open(path, os.O_WRONLY)  # both opens return  $Open
    view = memoryview(b"hello by name")
    while view:                                          $loop
        view = view[os.write(fd, view):]                 $Write $end
    os.close(fd)                # reader sees EOF        $Close
    return 0
