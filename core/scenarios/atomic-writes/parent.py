# title: parent: reads and counts splits
def main():
    r, w = os.pipe()            # shared by every writer $PipeCreated
    start_r, start_w = os.pipe()    # its EOF means "go" $PipeCreated
    pids = []
    for n in range(writers):                             $loop
        pid = os.fork()                                  $Fork
        if pid == 0:
            os._exit(writer(chr(ord("A") + n), r, w, start_r, start_w))
        pids.append(pid)                                 $end
    os.close(w)                                          $Close
    os.close(start_r)                                    $Close
    os.close(start_w)           # every writer: go       $Close
    while data := os.read(r, 65536):                     $Read $loop $end
        splits += count_runs(data, size)  # a run ending mid-record
    os.close(r)                                          $Close
    for pid in pids:                                     $loop
        os.waitpid(pid, 0)                               $Wait $end
    return 0 if splits == 0 else 1
