"""What must hold after one soak run: exit status against outcome, valid output, event order."""

import json
import re
import signal

OUTCOME_EXIT = {"ok": 0, "failed": 1, "cancelled": 3, "watchdog": 3, "time-limit": 4}
OUTCOME_BY_CODE = {0: "ok", 1: "failed", 2: "cancelled", 3: "watchdog", 4: "time-limit"}



def check_outcome(plan, rc, stdout, stderr, report, signalled):
    """Exit status against the outcome, and the output's validity."""
    problems = []
    killed = rc < 0
    if killed:
        if not signalled or -rc != plan.signal:
            return [("crash", "died by signal %s, which the soak did not send" % signal.Signals(-rc).name)]
        if plan.signal in (signal.SIGINT, signal.SIGTERM) and plan.kind != "gui":
            # Only before main installs its handler (the first milliseconds) may these kill the CLI.
            if plan.delay > 0.5:
                problems.append(("crash", "%s killed the CLI %d ms after its start, instead of cancelling"
                                 % (signal.Signals(plan.signal).name, plan.delay * 1000)))
    text = stderr.decode(errors="replace")
    error_lines = [l for l in text.splitlines() if l.startswith("pipescope-cli: error:")]
    if b"AddressSanitizer" in stderr or b"runtime error:" in stderr or b"Segmentation" in stderr:
        problems.append(("crash", "stderr: %s" % text.strip()[-300:]))
    if plan.kind == "gui":
        if not killed and rc != 0:
            problems.append(("invalid", "the GUI exited %d: %s" % (rc, text.strip()[-300:])))
        return problems
    if plan.kind in ("run", "cancel"):
        problems += check_run(plan, rc, stdout, text, error_lines, signalled, killed)
    else:
        problems += check_tool(plan, rc, report, text, error_lines, signalled, killed)
    return problems


def check_run(plan, rc, stdout, text, error_lines, signalled, killed):
    problems = []
    outcome = None
    if plan.format == "jsonl":
        events, bad = parse_jsonl(stdout, killed)
        problems += bad
        problems += check_order(events, complete=not killed)
        if events and events[-1].get("kind") == "run-finished":
            outcome = OUTCOME_BY_CODE.get(events[-1].get("code"))
        if not killed and (not events or events[0].get("kind") != "run-started"
                           or events[-1].get("kind") != "run-finished"):
            problems.append(("invalid", "jsonl does not run from run-started to run-finished"))
    elif plan.format == "chrome":
        if not killed or stdout.strip():
            try:
                doc = json.loads(stdout)
                if not isinstance(doc.get("traceEvents"), list):
                    problems.append(("invalid", "chrome trace without traceEvents"))
            except (ValueError, AttributeError) as e:
                if not killed:  # a SIGKILL may cut the document it was writing
                    problems.append(("invalid", "chrome output does not parse: %s" % e))
    else:
        m = re.findall(rb"run finished: ([a-z-]+)", stdout)
        if m:
            outcome = m[-1].decode()
        elif not killed:
            problems.append(("invalid", "text output has no 'run finished' line"))
    if killed:
        return problems
    if outcome is None:  # chrome: the outcome from the error line
        outcome = ("ok" if rc == 0 else "failed" if rc == 1 else "time-limit" if rc == 4 else
                   "cancelled" if "cancelled" in text else "watchdog" if "watchdog" in text else "?")
    if OUTCOME_EXIT.get(outcome) != rc:
        problems.append(("invalid", "outcome %s but exit status %d" % (outcome, rc)))
    if outcome == "cancelled" and not signalled:
        problems.append(("invalid", "cancelled, but nobody cancelled it"))
    if outcome == "time-limit" and not plan.time_limit:
        problems.append(("invalid", "stopped by a time limit it was not given"))
    if outcome == "watchdog" and not plan.watchdog:
        problems.append(("invalid", "stopped by a watchdog it was not given"))
    if plan.endless and outcome == "ok":
        problems.append(("invalid", "a run that never ends ended ok"))
    if rc == 0 and text.strip():
        problems.append(("invalid", "exit 0 with stderr: %s" % text.strip()[:200]))
    if rc != 0 and len(error_lines) != 1:
        problems.append(("invalid", "exit %d with %d error lines" % (rc, len(error_lines))))
    if rc == 4 and "time limit of" not in text:
        problems.append(("invalid", "exit 4 without the time-limit message"))
    return problems


def check_tool(plan, rc, report, text, error_lines, signalled, killed):
    """trace and watch: the program's own exit status, or the cancel's."""
    problems = []
    if plan.format == "jsonl" or plan.kind == "watch":
        events, bad = parse_jsonl(report, killed)
        problems += bad
        if plan.kind == "trace":
            problems += check_order(events, complete=not killed)
    elif plan.format == "chrome" and not killed:
        try:
            json.loads(report)
        except ValueError as e:
            problems.append(("invalid", "chrome report does not parse: %s" % e))
    if killed:
        return problems
    cancelled = "cancelled" in text
    if cancelled and not signalled:
        problems.append(("invalid", "cancelled, but nobody cancelled it"))
    if cancelled:
        want = 3 if plan.kind == "watch" else None
        if want is not None and rc != want:
            problems.append(("invalid", "watch cancelled but exit status %d, not 3" % rc))
        if len(error_lines) != 1:
            problems.append(("invalid", "cancelled with %d error lines" % len(error_lines)))
    elif plan.endless:
        problems.append(("invalid", "a program that never ends ended (%d) without a cancel" % rc))
    elif rc != plan.expect_exit:
        problems.append(("invalid", "the program ends with %d, %s exited %d" % (plan.expect_exit, plan.kind,
                                                                               rc)))
    return problems


def parse_jsonl(data, killed):
    events, problems = [], []
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty unless cut
    if tail and not killed:
        problems.append(("invalid", "jsonl output ends in a cut line: %r" % tail[:80]))
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except ValueError:
            problems.append(("invalid", "jsonl line %d does not parse: %r" % (n, line[:120])))
            break
    return events, problems


def check_order(events, complete):
    """Per process: process-started first, exited before it is reaped (by the
    runner: reaped; by its parent: that parent's wait), nothing after; seq
    rises; a finished run leaves every process exited and reaped."""
    problems = []
    seen = {}
    gone = set()
    last_seq = -1
    for e in events:
        seq = e.get("seq", 0)
        if seq <= last_seq:
            problems.append(("invalid", "seq %d after %d" % (seq, last_seq)))
            break
        last_seq = seq
        if e.get("role") == "runner":
            continue
        pid, kind = e.get("pid"), e.get("kind")
        history = seen.setdefault(pid, [])
        if pid in gone:
            problems.append(("invalid", "pid %s: %s after it was reaped (seq %d)" % (pid, kind, seq)))
            break
        if kind == "process-started" and history:
            problems.append(("invalid", "pid %s: process-started after %s" % (pid, history[-1])))
            break
        if kind == "exited" and "exited" in history:
            problems.append(("invalid", "pid %s: exited twice" % pid))
            break
        history.append(kind)
        if kind == "fork" and e.get("other_pid"):
            seen.setdefault(e["other_pid"], [])
        reaped = pid if kind == "reaped" else (e.get("result", 0) if kind == "wait" else 0)
        if reaped and reaped > 0:
            if "exited" not in seen.get(reaped, []):
                problems.append(("invalid", "pid %s: reaped (seq %d) before it exited" % (reaped, seq)))
                break
            gone.add(reaped)
    if complete and not problems:
        for pid, history in seen.items():
            if pid not in gone:
                problems.append(("invalid", "pid %s never reaped (its last events: %s)" % (pid, history[-3:])))
                break
    return problems

# ---- reporting ------------------------------------------------------------------------
