# title: parent: one socket pair, both ways
def main():
    # multiprocessing.Pipe() makes the same pair on Linux
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)  $SocketPair
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(child(a, b))
    b.close()                   # the child's end        $Close
    view = memoryview(b"ping from parent")
    while view:                                          $loop
        view = view[a.send(view):]                       $Write $end
    answer = b""
    while chunk := a.recv(256):  # same end, other way   $Read $loop $end
        answer += chunk
    a.close()                                            $Close
    os.waitpid(pid, 0)                                   $Wait
    return 0 if answer == b"pong from child" else 1
