#!/usr/bin/env python3
"""One process, one pipe: write into the write end, read from the read end.

The kernel keeps the bytes in the pipe's buffer between the two calls.
Run it: python3 single_process_pipe.py   (or under pipescope-cli trace --)
"""
import os

r, w = os.pipe()
written = os.write(w, b"hello, pipe")
data = os.read(r, 100)
print(f"wrote {written} bytes, read back {data!r}")
os.close(w)
os.close(r)
