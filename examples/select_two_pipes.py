#!/usr/bin/env python3
"""select over two pipes where only the second has data: select returns the
ready ones only, so a program reads where there is something to read.
"""
import os
import select

first_r, first_w = os.pipe()
second_r, second_w = os.pipe()
os.write(second_w, b"data on the second pipe")
ready, _, _ = select.select([first_r, second_r], [], [], 1.0)
names = {first_r: "first", second_r: "second"}
print(f"ready: {[names[fd] for fd in ready]}")
for fd in ready:
    print(f"{names[fd]} pipe: {os.read(fd, 100)!r}")
for fd in (first_r, first_w, second_r, second_w):
    os.close(fd)
