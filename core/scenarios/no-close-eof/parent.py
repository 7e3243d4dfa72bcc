# title: parent: forgets os.close(w)
def main():
    msg = b"Hello child process!"
    r, w = os.pipe()                                     $PipeCreated
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(child(r, w))
    os.close(r)                                          $Close
    view = memoryview(msg)
    while view:                                          $loop
        view = view[os.write(w, view):]                  $Write $end
    if fixed:
        os.close(w)             # the last write end     $Close
    # not fixed: w stays open, so the child never reads b""
    _, status = os.waitpid(pid, 0)  # waits for ever     $Wait
    if not fixed:
        os.close(w)             # never reached          $Close
    return os.waitstatus_to_exitcode(status)
