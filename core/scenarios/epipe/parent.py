# title: parent: starts a reader and a writer
def main():
    r, w = os.pipe()                                     $PipeCreated
    reader = os.fork()                                   $Fork
    if reader == 0:
        os._exit(reader_main(r, w))
    writer = os.fork()                                   $Fork
    if writer == 0:
        os._exit(writer_main(r, w))
    os.close(r)                                          $Close
    os.close(w)                                          $Close
    os.waitpid(reader, 0)                                $Wait
    _, wst = os.waitpid(writer, 0)  # SIGPIPE killed it? $Wait
    return 0 if os.waitstatus_to_exitcode(wst) == 0 else 1
