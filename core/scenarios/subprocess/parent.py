# title: parent: feeds cat, reads its output
def main():
    msg = b"Hello through cat!"
    p = subprocess.Popen(["cat"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, bufsize=0)
    # Popen's hidden calls, in order:
    #   os.pipe() x2: cat's stdin, cat's stdout         $PipeCreated $PipeCreated
    #   pipe2(O_CLOEXEC): exec's errno, or EOF          $PipeCreated
    #   fork(): the child's listing (dup2, exec)        $Fork
    #   close the child's ends: stdin's r, stdout's w   $Close $Close
    #   close errpipe's w; read it: b"" = exec worked   $Close $Read
    #   close errpipe's r (else: raise OSError)         $Close
    view = memoryview(msg)
    while view:                                          $loop
        view = view[p.stdin.write(view):]  # os.write    $Write $end
    p.stdin.close()             # cat sees EOF on stdin  $Close
    output = b""
    while chunk := p.stdout.read(4096):  # os.read       $Read $loop $end
        output += chunk
    p.stdout.close()                                     $Close
    p.wait()                    # os.waitpid             $Wait
    return 0 if output == msg else 1
