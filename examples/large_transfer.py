#!/usr/bin/env python3
"""A large transfer: the parent writes 1,000,000 bytes in 4096-byte writes, the
child reads until EOF. The pipe holds 64 KiB: the writer blocks whenever it is
full and goes on as the reader empties it.
"""
import os

TOTAL = 1_000_000
CHUNK = 4096

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w)
    received = 0
    while chunk := os.read(r, 65536):
        received += len(chunk)
    print(f"child read {received} bytes, then EOF")
    os._exit(0 if received == TOTAL else 1)
os.close(r)
sent = 0
block = b"x" * CHUNK
while sent < TOTAL:
    sent += os.write(w, block[: min(CHUNK, TOTAL - sent)])
os.close(w)
_, status = os.waitpid(pid, 0)
print(f"parent wrote {sent} bytes in {CHUNK}-byte writes; child exit {os.waitstatus_to_exitcode(status)}")
