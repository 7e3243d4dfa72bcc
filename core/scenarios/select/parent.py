# title: parent: select over the read ends
def main():
    rel_r, rel_w = os.pipe()    # writers wait for its EOF   $PipeCreated
    pids, rfds = [], []
    for i in range(npipes):                              $loop
        r, w = os.pipe()                                 $PipeCreated
        pid = os.fork()                                  $Fork
        if pid == 0:
            os._exit(writer(i, r, w, rel_r, rel_w, rfds))
        os.close(w)                                      $Close
        pids.append(pid)
        rfds.append(r)                                   $end
    os.close(rel_r)                                      $Close
    watching = list(rfds)
    while seen < expected:                               $loop
        ready, _, _ = select.select(watching, [], [], timeout)   $Select
        for fd in ready:                                 $loop
            os.read(fd, len(msg))                        $Read
            seen += 1
            watching.remove(fd)                          $end $end
    # a last look, timeout 0: the others are still not ready
    late, _, _ = select.select(watching, [], [], 0)      $Select=0
    os.close(rel_w)             # every writer's read gets b""   $Close
    for pid in pids:                                     $loop
        os.waitpid(pid, 0)                               $Wait $end
    for r in rfds:                                       $loop
        os.close(r)                                      $Close $end
    return 0
