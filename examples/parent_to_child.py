#!/usr/bin/env python3
"""Parent to child: the parent writes, the child reads until EOF.

After fork both processes hold both ends. Each closes the end it does not
use; the child sees EOF only once every write end is closed.
"""
import os

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w)  # or the child's own write end would keep its read from ever ending
    received = b""
    while chunk := os.read(r, 1024):
        received += chunk
    print(f"child got {received!r}, then EOF")
    os._exit(0)
os.close(r)
os.write(w, b"message from the parent")
os.close(w)
_, status = os.waitpid(pid, 0)
print(f"parent: child exited with {os.waitstatus_to_exitcode(status)}")
