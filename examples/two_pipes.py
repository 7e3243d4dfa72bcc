#!/usr/bin/env python3
"""Two pipes, both ways: a pipe carries bytes in one direction only, so a
conversation needs one pipe per direction. The parent asks, the child answers.
"""
import os

to_child_r, to_child_w = os.pipe()
to_parent_r, to_parent_w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(to_child_w)
    os.close(to_parent_r)
    question = os.read(to_child_r, 1024)
    os.write(to_parent_w, b"answer to " + question)
    os._exit(0)
os.close(to_child_r)
os.close(to_parent_w)
os.write(to_child_w, b"question")
answer = os.read(to_parent_r, 1024)
print(f"parent asked b'question', child said {answer!r}")
os.close(to_child_w)
os.close(to_parent_r)
os.waitpid(pid, 0)
