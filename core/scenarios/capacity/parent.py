# title: parent: the writer fills the pipe
def main():
    r, w = os.pipe()                                     $PipeCreated
    cap = fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, capacity)   $SetPipeSize
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(reader(r, w))
    os.close(r)                                          $Close
    sent, data = 0, b"c" * chunk
    while sent < 2 * cap:                                $loop
        in_pipe = fionread(w)   # ioctl(FIONREAD): bytes in it now
        # blocks while the pipe holds cap bytes
        sent += os.write(w, data)                        $Write $end
    os.close(w)                                          $Close
    _, status = os.waitpid(pid, 0)                       $Wait
    return os.waitstatus_to_exitcode(status)
