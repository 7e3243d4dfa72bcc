#!/usr/bin/env python3
"""A non-blocking read: with O_NONBLOCK set, reading an empty pipe does not
wait; it fails at once with EAGAIN (BlockingIOError). Once data is there,
the same read succeeds.
"""
import fcntl
import os

r, w = os.pipe()
flags = fcntl.fcntl(r, fcntl.F_GETFL)
fcntl.fcntl(r, fcntl.F_SETFL, flags | os.O_NONBLOCK)
try:
    os.read(r, 100)
    print("read returned data from an empty pipe?")
except BlockingIOError:
    print("empty pipe: BlockingIOError (EAGAIN), the read did not wait")
os.write(w, b"now there is data")
print(f"after a write: {os.read(r, 100)!r}")
os.close(r)
os.close(w)
