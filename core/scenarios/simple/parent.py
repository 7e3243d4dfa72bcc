# title: parent: one process, both ends
def main():
    msg = b"Hello, pipe!"
    r, w = os.pipe()            # r: read end, w: write end   $PipeCreated
    os.write(w, msg)                                     $Write
    data = os.read(r, len(msg))                          $Read
    os.close(w)                                          $Close
    os.close(r)                                          $Close
    return 0 if data == msg else 1
