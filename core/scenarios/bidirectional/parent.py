# title: parent: request down, reply up
def main():
    # parent -> child, child -> parent
    down_r, down_w = os.pipe()                           $PipeCreated
    up_r, up_w = os.pipe()                               $PipeCreated
    pid = os.fork()                                      $Fork
    if pid == 0:
        os._exit(child(down_r, down_w, up_r, up_w))
    os.close(down_r)                                     $Close
    os.close(up_w)                                       $Close
    view = memoryview(b"ping from parent")
    while view:                                          $loop
        view = view[os.write(down_w, view):]             $Write $end
    os.close(down_w)            # child sees EOF         $Close
    answer = b""
    while chunk := os.read(up_r, 4096):                  $Read $loop $end
        answer += chunk
    os.close(up_r)                                       $Close
    os.waitpid(pid, 0)                                   $Wait
    return 0 if answer == b"pong from child" else 1
