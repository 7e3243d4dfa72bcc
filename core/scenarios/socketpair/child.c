/// title: child: writes, then reads, on its one end
int child(int sv[2])
{
    close(sv[0]);               /* the parent's end */   $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(sv[1], reply + off, len - off);        $Write $end
    for (got = 0; got < req_len; got += n)               $loop
        n = read(sv[1], buf + got, req_len - got);       $Read $end
    close(sv[1]);               /* parent sees EOF */    $Close
    return strcmp(buf, "ping from parent") != 0;
}
