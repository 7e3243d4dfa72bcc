"""Runs the soak's plans one by one (or in parallel jobs), checks each and counts failures."""

import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

from soaklib import checks
from soaklib.plans import Plan, Planner
from soaklib.procs import MARKER, exe_of, fd_targets, kill_tree, now, reap_our_zombies, run_processes, wait_tree_dead

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATEGORIES = ("hang", "crash", "leftover", "invalid")


class Soak:
    """The whole soak: its tools, its plans, its counts."""

    def __init__(self, args):
        self.args = args
        build = args.build or os.path.join(REPO, "build")
        self.cli = os.environ.get("PIPESCOPE_CLI") or os.path.join(build, "app", "pipescope-cli")
        self.gui = os.environ.get("PIPESCOPE_GUI") or os.path.join(build, "app", "pipescope")
        self.runner = os.environ.get("PIPESCOPE_RUNNER") or os.path.join(build, "app", "pipescope-runner")
        self.programs_dir = os.path.join(build, "tests", "core", "trace", "programs")
        if not os.access(self.cli, os.X_OK):
            raise SystemExit("soak: no pipescope-cli at %s (build first, or give --build DIR / PIPESCOPE_CLI)"
                             % self.cli)
        self.python = shutil.which("python3", path="/usr/bin") or shutil.which("python3")
        self.c_examples = [p for p in ("printf_before_fork", "pipeline_open_ends")
                           if os.access(os.path.join(self.programs_dir, p), os.X_OK)]
        self.have_gui = os.access(self.gui, os.X_OK) and not args.no_gui
        self.tmp = tempfile.mkdtemp(prefix="pipescope-soak-")
        self.xdg = os.path.join(self.tmp, "xdg")
        os.mkdir(self.xdg, 0o700)
        self.lock = threading.Lock()
        self.counts = {c: 0 for c in CATEGORIES}
        self.failed = []
        self.worst_teardown = 0.0
        self.worst_run = None  # the plan whose tree took longest to die
        self.refused = 0
        self.kinds = {}
        self.planner = Planner(args, self)

    def execute(self, index):
        plan = self.planner.plan(index)
        for attempt in range(8):
            result = self.attempt(plan)
            if result != "refused":
                return
            with self.lock:
                self.refused += 1
            # The draw broke a rule between parameters: draw again (the same way every time).
            rng = random.Random("%d:%d:%d" % (self.args.seed, index, attempt + 1))
            kind = plan.kind
            plan = Plan(index)
            plan.kind = kind
            if kind == "gui":
                self.planner.plan_gui(plan, rng)
            else:
                self.planner.plan_run(plan, rng)
        self.fail(plan, "invalid", "eight draws in a row were refused: the parameter specs do not describe "
                                   "what the CLI accepts")

    def attempt(self, plan):
        tag = uuid.uuid4().hex
        env = dict(os.environ)
        env.update(plan.env)
        env[MARKER] = tag
        env.setdefault("PIPESCOPE_RUNNER", self.runner)
        if plan.kind == "gui" and "PIPESCOPE_RUNNER" not in os.environ:
            env.pop("PIPESCOPE_RUNNER")  # the runner next to the GUI
        base = os.path.join(self.tmp, "%d-%s" % (plan.index, tag[:8]))
        argv = list(plan.argv)
        if "@OUTPUT@" in argv:
            plan.output = base + ".report"
            argv[argv.index("@OUTPUT@")] = plan.output
        sentinel_r, sentinel_w = os.pipe()
        sentinel = os.readlink("/proc/self/fd/%d" % sentinel_w)
        out = open(base + ".out", "wb")
        err = open(base + ".err", "wb")
        problems = []
        teardown = None
        start = now()
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=self.tmp,
                                 start_new_session=True, pass_fds=(sentinel_w,))
        finally:
            os.close(sentinel_w)
            out.close()
            err.close()
        sid = p.pid
        limit = self.args.timeout
        sampled = False
        signalled_at = None
        if plan.signal is not None:
            if self.wait(p, plan.delay) is None:
                problems += self.check_fds(plan, p.pid, tag, sid, sentinel)
                sampled = True
                signalled_at = now()
                try:
                    if plan.group:
                        os.killpg(p.pid, plan.signal)
                    else:
                        os.kill(p.pid, plan.signal)
                except ProcessLookupError:
                    signalled_at = None
        elif self.wait(p, plan.sample) is None:
            problems += self.check_fds(plan, p.pid, tag, sid, sentinel)
            sampled = True
        rc = self.wait(p, max(0.0, start + limit - now()))
        if rc is None:
            left = kill_tree(p, tag, sid)
            self.fail(plan, "hang", "still running after %d s (killed; it left %s)" % (limit, left or "nothing"))
            self.cleanup(base, sentinel_r)
            return "hang"
        ended = now()
        live = []
        if rc < 0:
            # The tool died by a signal: nothing of it could clean up; the tree must die by itself.
            t0 = signalled_at if signalled_at is not None else ended
            live = wait_tree_dead(tag, sid, 5.0)
            teardown = now() - t0
            if live:
                problems.append(("leftover", "5 s after the tool died, still alive: %s" % live))
            else:
                with self.lock:
                    if teardown > self.worst_teardown:
                        self.worst_teardown, self.worst_run = teardown, plan
        reap_our_zombies(tag, sid)
        left = run_processes(tag, sid)
        if left and not live:
            problems.append(("leftover", "after the run: %s" % left))
        if left:
            kill_tree(None, tag, sid)
        # Nobody may still hold the sentinel pipe's write end (a survivor, or a leaked copy).
        os.set_blocking(sentinel_r, False)
        try:
            os.read(sentinel_r, 1)
        except BlockingIOError:
            problems.append(("leftover", "some process still holds an fd the tool was given (%s)" % sentinel))
        stdout = self.read(base + ".out")
        stderr = self.read(base + ".err")
        report = self.read(plan.output) if plan.output else stdout
        if rc == 2 and plan.kind in ("run", "cancel", "gui") and stderr.count(b"\n") == 1 and \
                stderr.startswith(b"pipescope") and not stdout.strip() and not problems:
            if plan.rules:
                self.cleanup(base, sentinel_r)
                return "refused"
            problems.append(("invalid", "valid parameters refused: %s" % stderr.decode(errors="replace").strip()))
        else:
            problems += checks.check_outcome(plan, rc, stdout, stderr, report, signalled_at is not None)
        with self.lock:
            self.kinds[plan.kind] = self.kinds.get(plan.kind, 0) + 1
        counted = set()
        for category, text in problems:
            self.fail(plan, category, text, rc=rc, stderr=stderr, count=category not in counted)
            counted.add(category)
        if self.args.verbose:
            with self.lock:
                print("run %d: %s -> %s in %d ms%s%s" % (
                    plan.index, plan.describe(), rc, (ended - start) * 1000,
                    "" if teardown is None else ", teardown %d ms" % (teardown * 1000),
                    "" if sampled else ", not sampled"), flush=True)
        if not problems or not self.args.keep:
            self.cleanup(base, sentinel_r)
        else:
            os.close(sentinel_r)
        return "done"

    @staticmethod
    def wait(p, seconds):
        try:
            return p.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None

    @staticmethod
    def read(path):
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def cleanup(self, base, sentinel_r):
        os.close(sentinel_r)
        for suffix in (".out", ".err", ".report"):
            try:
                os.unlink(base + suffix)
            except OSError:
                pass

    def check_fds(self, plan, tool, tag, sid, sentinel):
        """The programs of a run hold no fd of the tool's own: no pidfd, signalfd,
        socket; for scenario runs not even the fds the tool was given (the runner
        closes every inherited fd before the first fork). Between fork and exec (or
        the child's first close) a child holds its parent's fds for a moment, so a
        suspect counts only if it still holds the same fd 50 ms later."""
        tool_exe = exe_of(tool)
        suspects = []
        processes = [q for q in run_processes(tag, sid) if q.state not in ("Z", "X")]
        # Sockets the tool or its runner hold: one of those in a scenario process is a leak. A scenario's
        # own sockets (the socketpair lesson) are no one else's.
        own = set(fd_targets(tool).values())
        for q in processes:
            if q.ppid == tool and exe_of(q.pid).endswith("pipescope-runner"):
                own |= set(fd_targets(q.pid).values())
        for q in processes:
            if q.pid == tool:
                continue
            exe = exe_of(q.pid)
            if exe == tool_exe or (q.ppid == tool and exe.endswith("pipescope-runner")):
                continue  # the tool itself, not yet exec'd, or its runner
            for fd, target in fd_targets(q.pid).items():
                if target.startswith("anon_inode:") or (target.startswith("socket:") and target in own):
                    suspects.append((q, exe, fd, target, "fd leak: %s holds fd %d -> %s" % (q, fd, target)))
                elif target == sentinel and plan.kind in ("run", "cancel", "gui"):
                    suspects.append((q, exe, fd, target, "fd leak: scenario process %s holds the tool's inherited fd %d"
                                     % (q, fd)))
        if suspects:
            time.sleep(0.05)
        return [("leftover", text) for q, exe, fd, target, text in suspects
                if fd_targets(q.pid).get(fd) == target and exe_of(q.pid) == exe]

    # ---- checking -------------------------------------------------------------------------

    def fail(self, plan, category, text, rc=None, stderr=b"", count=True):
        """Reports one problem of a run; each run counts at most once per category."""
        with self.lock:
            self.counts[category] += 1 if count else 0
            self.failed.append(plan.index)
            # The options that shape the plans, so that --only draws the same run again.
            a = self.args
            replay = [os.path.relpath(os.path.join(REPO, "scripts", "soak"), os.getcwd()), "--seed", str(a.seed),
                      "--only", str(plan.index)] + (["--short"] if a.short else []) \
                + (["--build", a.build] if a.build else []) + (["--kinds", a.kinds] if a.kinds else []) \
                + (["--no-gui"] if a.no_gui else []) + (["--no-watch-kill"] if a.no_watch_kill else [])
            print("FAIL run %d (%s, seed %d): %s%s\n    command: %s\n    replay:  %s"
                  % (plan.index, category, a.seed, text, "" if rc is None else " [exit %d]" % rc, plan.describe(),
                     " ".join(replay)), flush=True)
            if stderr.strip():
                tail = stderr.decode(errors="replace").strip()[-400:]
                print("    stderr:  %s" % tail.replace("\n", "\n             "), flush=True)

