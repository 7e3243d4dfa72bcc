#!/usr/bin/env python3
"""A pipe through cat: subprocess.Popen makes two pipes, forks, and the child
execs cat with them as its stdin and stdout. communicate() writes, closes
cat's stdin (so cat sees EOF and ends) and reads everything cat wrote.
"""
import subprocess

proc = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = proc.communicate(b"through cat and back")
print(f"cat gave back {out!r}, exit {proc.returncode}")
