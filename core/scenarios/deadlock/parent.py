# title: parent: writes everything before reading
def main():
    # parent -> child, child -> parent
    down_r, down_w = os.pipe()                           $PipeCreated
    up_r, up_w = os.pipe()                               $PipeCreated
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(child(down_r, down_w, up_r, up_w))
    os.close(down_r)                                     $Close
    os.close(up_w)                                       $Close
    req = b"p" * nbytes
    for off in range(0, nbytes, chunk):                  $loop
        os.write(down_w, req[off:off + chunk])  # blocks when full   $Write $end
    os.close(down_w)                                     $Close
    got = 0
    while data := os.read(up_r, 65536):                  $Read $loop $end
        got += len(data)
    os.close(up_r)                                       $Close
    os.waitpid(pid, 0)                                   $Wait
    return 0 if got == nbytes else 1
