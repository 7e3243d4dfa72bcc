# title: parent: writes, then closes
def main():
    msg = b"Hello child process!"
    r, w = os.pipe()                                     $PipeCreated
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(child(r, w))   # the child's listing
    os.close(r)                 # we only write          $Close
    view = memoryview(msg)
    while view:                                          $loop
        view = view[os.write(w, view):]                  $Write $end
    os.close(w)                 # child's read -> b""    $Close
    _, status = os.waitpid(pid, 0)                       $Wait
    return os.waitstatus_to_exitcode(status)
