# title: writer X: one os.write() per record
def writer(letter, r, w, start_r, start_w):
    os.close(r)                                          $Close
    os.close(start_w)                                    $Close
    os.read(start_r, 1)         # waits for "go" (EOF)   $Read
    os.close(start_r)                                    $Close
    record = letter.encode() * size  # every byte names its writer
    for _ in range(records):                             $loop
        os.write(w, record)     # atomic if <= PIPE_BUF  $Write $end
    os.close(w)                                          $Close
    return 0
