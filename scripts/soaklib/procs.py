"""What /proc says about the processes of one soak run, and how to end them."""

import ctypes
import os
import signal
import time

# Every process of a run carries MARKER=<the run's tag> in its environment.
MARKER = "PIPESCOPE_SOAK_TAG"


def now():
    return time.monotonic()


class Proc:
    """What /proc says about one process."""

    __slots__ = ("pid", "state", "ppid", "comm")

    def __init__(self, pid, state, ppid, comm):
        self.pid, self.state, self.ppid, self.comm = pid, state, ppid, comm

    def __repr__(self):
        return "%d(%s,%s,ppid %d)" % (self.pid, self.comm, self.state, self.ppid)


def run_processes(tag, session):
    """Every process of a run: its session is the run's (the tool was started in a
    new session) or its environment carries the run's tag (a zombie has no
    environment left, but keeps its session)."""
    marker = ("%s=%s" % (MARKER, tag)).encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        close = stat.rfind(b")")
        fields = stat[close + 2:].split()
        comm = stat[stat.find(b"(") + 1:close].decode(errors="replace")
        state, ppid, sid = fields[0].decode(), int(fields[1]), int(fields[3])
        mine = sid == session
        if not mine:
            try:
                with open("/proc/%d/environ" % pid, "rb") as f:
                    mine = marker in f.read()
            except OSError:
                mine = False
        if mine:
            found.append(Proc(pid, state, ppid, comm))
    return found


def fd_targets(pid):
    out = {}
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                out[int(fd)] = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                pass
    except OSError:
        pass
    return out


def exe_of(pid):
    try:
        return os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return ""



def wait_tree_dead(tag, sid, seconds):
    """Polls /proc until no process of the run is alive (zombies are dead); returns what is left."""
    deadline = now() + seconds
    while True:
        live = [q for q in run_processes(tag, sid) if q.state not in ("Z", "X")]
        if not live or now() > deadline:
            return live
        time.sleep(0.001)

def reap_our_zombies(tag, sid):
    # This soak is a subreaper: what its runs orphan comes to it. After a
    # killed tool those are expected (already dead); reap them so they do not count.
    for q in run_processes(tag, sid):
        if q.ppid == os.getpid() and q.state == "Z":
            try:
                os.waitpid(q.pid, os.WNOHANG)
            except ChildProcessError:
                pass

def kill_tree(p, tag, sid):
    left = run_processes(tag, sid)
    for q in left:
        try:
            os.kill(q.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if p is not None:
        p.wait()
    wait_tree_dead(tag, sid, 5.0)
    reap_our_zombies(tag, sid)
    return left


def become_subreaper():
    """Orphans of a run (after a killed tool) come to us, not to PID 1, so the soak
    sees them die and can reap them."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except OSError:
        return False

