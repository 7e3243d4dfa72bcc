"""What each soak run does: random scenarios with valid parameters, traced and
watched programs, the GUI; and when it is cancelled, by which signal."""

import json
import os
import random
import re
import shlex
import signal
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Programs for the subprocess scenario's `program` parameter, with arguments that
# end on their own, plus one that never does (yes: always run with --time-limit)
# and one that does not exist (exec fails: outcome failed).
PROGRAMS = [("cat", ""), ("cat", "-n"), ("tac", ""), ("rev", ""), ("sort", "-r"), ("wc", "-c"), ("od", "-c"),
            ("tr", "a-z A-Z"), ("head", "-c 5"), ("yes", ""), ("pipescope-soak-no-such-program", "")]
# Shell pipelines for trace and watch, with the exit status each ends with.
PIPELINES = [("echo hello | cat", 0), ("seq 1 2000 | wc -l", 0), ("printf 'b\\na\\n' | sort | head -n 1", 0),
             ("head -c 200000 /dev/zero | cat > /dev/null", 0), ("yes | head -n 1000 > /dev/null", 0),
             ("seq 1 300 | tr 0-9 a-j | rev > /dev/null", 0), ("true", 0), ("exit 5", 5),
             ("cat /pipescope-soak-no-such-file", 1), ("sleep 0.2 | cat", 0)]
# Only ever cancelled: they do not end by themselves.
ENDLESS = ["sleep 60 | cat", "yes > /dev/null", "tail -f /dev/null | cat"]
PYTHON_EXAMPLES = ["single_process_pipe.py", "parent_to_child.py", "two_pipes.py", "pipe_through_cat.py",
                   "nonblocking_read.py", "select_two_pipes.py", "large_transfer.py"]
TEXT_CHARS = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:!?-_=+/'\"\\$`*\u00e9\u00fc\u6f22\u5b57\U0001f642\t"


class Spec:
    """The scenarios and their parameters, as `pipescope-cli list --format jsonl` gives them."""

    def __init__(self, cli):
        r = subprocess.run([cli, "list", "--format", "jsonl"], capture_output=True, timeout=30)
        if r.returncode != 0:
            raise SystemExit("soak: '%s list --format jsonl' failed (%d): %s" % (cli, r.returncode,
                                                                               r.stderr.decode(errors="replace")))
        self.scenarios = [json.loads(line) for line in r.stdout.decode().splitlines() if line.strip()]
        self.by_name = {s["name"]: s for s in self.scenarios}


def parse_number(text):
    m = re.fullmatch(r"(-?\d+)([kKmMgG]?)", text)
    if not m:
        return 0
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]


def log_uniform(rng, lo, hi):
    if hi <= lo:
        return lo
    a = max(lo, 1)
    v = int(round(a * (hi / a) ** rng.random()))
    return min(hi, max(lo, v))


def draw_text(rng, lo, hi):
    """Valid UTF-8 whose length in bytes is within lo .. hi."""
    target = rng.randint(lo, hi)
    out, size = [], 0
    while size < target:
        c = rng.choice(TEXT_CHARS)
        n = len(c.encode())
        if size + n > hi:
            c, n = "x", 1
        out.append(c)
        size += n
    return "".join(out)


def draw_value(p, rng, short):
    """A random value the parameter's spec says is valid, and whether it may make
    the run long (a delay per read, or smaller chunks than the default): such a
    run also gets a --time-limit, so a slow run is never taken for a hung one."""
    kind, name = p["type"], p["name"]
    if kind == "bool":
        return rng.choice(["true", "false", "yes", "no", "on", "off", "1", "0", "TRUE", "Off", "No"]), False
    if kind == "text":
        hi = min(p["max"], 60 if short else 400)
        return draw_text(rng, p["min"], max(p["min"], hi)), False
    lo, hi = p["min"], p["max"]
    default = parse_number(p["default"])
    if "delay" in name:
        top = 5 if short else 20
    elif name.endswith("-ms"):
        top = min(default, 1500 if short else 4000)
    elif default == 0:
        top = 1 << 20  # 0 means "the kernel's default": try real values too
    else:
        top = default if short else default * 4
        lo = max(lo, default // 64)  # a tiny chunk means a million syscalls
    top = min(hi, max(lo, top))
    roll = rng.random()
    value = lo if roll < 0.15 else (min(max(default, lo), hi) if roll < 0.3 else log_uniform(rng, lo, top))
    risky = ("delay" in name and value > 0) or (not name.endswith("-ms") and 0 < value < default)
    if kind == "size":
        for unit, suffix in ((1 << 20, "mM"), (1 << 10, "kK")):
            if value and value % unit == 0 and rng.random() < 0.7:
                return "%d%s" % (value // unit, rng.choice(suffix)), risky
    return str(value), risky


class Plan:
    """One run: what to start, what to do to it and what must come out."""

    def __init__(self, index):
        self.index = index
        self.kind = "run"
        self.argv = []
        self.env = {}
        self.signal = None  # sent to the tool after delay seconds
        self.group = False  # SIGINT to the whole process group, as a terminal's Ctrl+C does
        self.delay = 0.0
        self.format = "text"
        self.output = None  # trace --output file (filled in at run time)
        self.scenario = None
        self.time_limit = False
        self.watchdog = False
        self.rules = False
        self.expect_exit = 0  # trace and watch: the program's own status
        self.endless = False
        self.risky = False  # may take long: give it a --time-limit
        self.sample = 0.1  # when an uncancelled run's fds are looked at

    def describe(self):
        env = " ".join("%s=%s" % (k, shlex.quote(v)) for k, v in sorted(self.env.items()))
        cmd = " ".join(shlex.quote(self.output or "REPORT") if a == "@OUTPUT@" else shlex.quote(a)
                       for a in self.argv)
        what = "" if not self.signal else " [%s%s after %d ms]" % (
            signal.Signals(self.signal).name, " to the group" if self.group else "", self.delay * 1000)
        return (env + " " if env else "") + cmd + what



class Planner:
    """Draws run number N of a seed, always the same way."""

    def __init__(self, args, tools):
        self.args = args
        self.cli, self.gui, self.python = tools.cli, tools.gui, tools.python
        self.programs_dir, self.c_examples, self.xdg = tools.programs_dir, tools.c_examples, tools.xdg
        self.have_gui = tools.have_gui
        self.spec = Spec(self.cli)

    def plan(self, index):
        """The plan of run number index."""
        rng = random.Random("%d:%d" % (self.args.seed, index))
        plan = Plan(index)
        kinds = [("run", 40), ("cancel", 25), ("trace", 12), ("watch", 10)]
        if self.have_gui:
            kinds.append(("gui", 8))
        if self.args.kinds:
            kinds = [(k, w) for k, w in kinds if k in self.args.kinds.split(",")]
        plan.kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        plan.sample = rng.uniform(0.02, 0.3)
        if plan.kind in ("run", "cancel"):
            self.plan_run(plan, rng)
        elif plan.kind == "trace":
            self.plan_trace(plan, rng)
        elif plan.kind == "watch":
            self.plan_watch(plan, rng)
        else:
            self.plan_gui(plan, rng)
        return plan

    def scenario_args(self, plan, rng):
        s = rng.choice(self.spec.scenarios)
        plan.scenario = s["name"]
        plan.rules = bool(s["rules"])
        args = []
        for p in s["params"]:
            if rng.random() < 0.45:
                continue  # keep its default
            if p["name"] == s.get("forever_param"):
                program, pargs = rng.choice(PROGRAMS)
                args += ["--set", "program=" + program]
                if pargs or rng.random() < 0.5:
                    args += ["--set", "args=" + pargs]
                if program == "yes":
                    plan.endless = True
                continue
            if p["name"] == "args" and s.get("forever_param"):
                continue
            if p["name"] == "watchdog-ms":
                plan.watchdog = True
            value, risky = draw_value(p, rng, self.args.short)
            plan.risky |= risky
            args += ["--set", "%s=%s" % (p["name"], value)]
        if any(p["name"] == "watchdog-ms" for p in s["params"]):
            plan.watchdog = True
        return args

    def plan_run(self, plan, rng):
        paced = rng.random() < 0.25
        plan.format = rng.choice(["text", "jsonl", "chrome"])
        argv = [self.cli, "run"]
        sets = self.scenario_args(plan, rng)
        argv += [plan.scenario] + sets + ["--format", plan.format]
        if paced:
            argv += ["--pace", str(rng.choice([0, 1, 2]))]
            plan.risky = True  # every call waits at its gate
        if rng.random() < 0.1:
            argv += ["--watchdog", str(rng.randint(300, 3000))]
            plan.watchdog = True
        if plan.endless or plan.risky or rng.random() < 0.12:
            argv += ["--time-limit", str(rng.randint(100, 1500 if self.args.short else 4000))]
            plan.time_limit = True
        plan.argv = argv
        if plan.kind == "cancel":
            plan.signal = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
            plan.group = plan.signal == signal.SIGINT and rng.random() < 0.5
            plan.delay = rng.uniform(0, 0.8 if self.args.short else 2.0)

    def plan_trace(self, plan, rng):
        plan.format = rng.choice(["text", "jsonl", "chrome"])
        argv = [self.cli, "trace", "--format", plan.format]
        if rng.random() < 0.2:
            argv += ["--pace", str(rng.choice([0, 1]))]
        argv += ["--output", "@OUTPUT@", "--"]
        choices = ["sh"] * 3 + (["python"] * 3 if self.python else []) + (["c"] if self.c_examples else [])
        which = rng.choice(choices)
        if which == "python":
            argv += [self.python, os.path.join(REPO, "examples", rng.choice(PYTHON_EXAMPLES))]
        elif which == "c":
            program = rng.choice(self.c_examples)
            argv.append(os.path.join(self.programs_dir, program))
            plan.endless = program == "pipeline_open_ends"
        elif rng.random() < 0.15:
            argv += ["sh", "-c", rng.choice(ENDLESS)]
            plan.endless = True
        else:
            cmd, plan.expect_exit = rng.choice(PIPELINES)
            argv += ["sh", "-c", cmd]
        plan.argv = argv
        self.maybe_cancel(plan, rng)

    def plan_watch(self, plan, rng):
        plan.format = "jsonl"
        argv = [self.cli, "watch", "--format", "jsonl", "--interval", str(rng.choice([20, 50, 100])), "--"]
        if rng.random() < 0.2:
            argv += ["sh", "-c", "{ %s; } > /dev/null" % rng.choice(ENDLESS)]
            plan.endless = True
        else:
            cmd, plan.expect_exit = rng.choice(PIPELINES)
            # The command's output would go between watch's lines: keep it off stdout.
            argv += ["sh", "-c", "{ %s; } > /dev/null" % cmd]
        plan.argv = argv
        self.maybe_cancel(plan, rng)

    def maybe_cancel(self, plan, rng):
        if plan.endless or rng.random() < 0.35:
            plan.signal = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
            if plan.kind == "watch" and plan.signal == signal.SIGKILL and self.args.no_watch_kill:
                plan.signal = signal.SIGTERM
            plan.group = plan.signal == signal.SIGINT and rng.random() < 0.5
            plan.delay = rng.uniform(0, 1.0)

    def plan_gui(self, plan, rng):
        paced = rng.random() < 0.3
        argv = [self.gui]
        sets = self.scenario_args(plan, rng)
        argv += ["--scenario", plan.scenario] + sets + ["--run"]
        if paced:
            argv += ["--pace", str(rng.choice([0, 1, 5]))]
        # A settings folder of its own: the GUI saves each scenario's values, which must
        # neither change the user's nor carry over from one run to the next.
        config = os.path.join(os.path.dirname(self.xdg), "config-%d" % plan.index)
        plan.env = {"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": self.xdg, "XDG_CONFIG_HOME": config}
        if plan.endless or plan.risky or rng.random() < 0.75:
            plan.signal = rng.choice([signal.SIGTERM, signal.SIGKILL])
            plan.delay = rng.uniform(0.05, 2.5)
        else:
            argv += ["--quit-after-ms", str(rng.randint(300, 1500))]
        plan.argv = argv

    # ---- running --------------------------------------------------------------------------
