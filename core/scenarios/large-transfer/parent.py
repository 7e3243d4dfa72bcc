# title: parent: the writer
def main():
    r, w = os.pipe()                                     $PipeCreated
    if capacity > 0:
        fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, capacity)     $SetPipeSize
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(reader(r, w))
    os.close(r)                                          $Close
    sent = 0
    while sent < total:                                  $loop
        # sleeps in the kernel while the pipe is full
        sent += os.write(w, pattern_at(sent, chunk))     $Write $end
    os.close(w)                 # reader sees EOF        $Close
    _, status = os.waitpid(pid, 0)                       $Wait
    return os.waitstatus_to_exitcode(status)
