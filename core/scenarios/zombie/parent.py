# title: parent: waits late
def main():
    r, w = os.pipe()                                     $PipeCreated
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(child(r, w))
    os.close(w)                                          $Close
    while os.read(r, 256):                               $Read $loop $end
        pass                    # b"": the child is exiting
    os.close(r)                                          $Close
    if not fixed:
        time.sleep(1.5)         # child: state Z, a zombie   $Sleep
    _, status = os.waitpid(pid, 0)  # reaps it: /proc/PID goes   $Wait
    return os.waitstatus_to_exitcode(status)
