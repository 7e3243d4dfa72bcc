#include "core/run/runner.h"

#include "core/model/sharedstate.h"
#include "core/run/blockwatch.h"
#include "core/run/processtable.h"
#include "core/run/scenario.h"
#include "core/run/tracee.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pipescope
{

namespace
{

constexpr std::int64_t kMs = 1000000;

bool writeFully(int fd, const void *data, std::size_t size)
{
    const auto *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

int Runner::main(int argc, char **argv, ScenarioResolver resolve)
{
    // Die with the observer: a runner must never outlive the program that started it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    RunnerOptions options;
    std::string error;
    if (!RunnerOptions::parse(argc, argv, &options, &error)) {
        std::fprintf(
            stderr, "pipescope-runner: %s (this program is started by pipescope, not by hand)\n", error.c_str());
        return 2;
    }
    if (options.expectedParent != 0 && getppid() != options.expectedParent)
        return 3; // the observer died before we could arm PDEATHSIG
    Runner runner(std::move(options), resolve);
    return runner.exec();
}

Runner::Runner(RunnerOptions options, ScenarioResolver resolve) : m_options(std::move(options)), m_resolve(resolve)
{
}

Runner::~Runner()
{
    if (m_eventRead >= 0)
        close(m_eventRead);
    if (m_signalFd >= 0)
        close(m_signalFd);
    if (m_shared)
        munmap(m_shared, sizeof(SharedState));
}

bool Runner::setUp(std::string *error)
{
    // Nothing of the observer's may leak into the scenario's tree.
    syscall(SYS_close_range, kRunnerSharedFd + 1, ~0U, 0);
    prctl(PR_SET_CHILD_SUBREAPER, 1); // orphans of the tree come back to us, so we can reap them
    signal(SIGPIPE, SIG_IGN); // an observer that went away shows up as EPIPE on kRunnerOutFd

    void *mem = mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE, MAP_SHARED, kRunnerSharedFd, 0);
    if (mem == MAP_FAILED) {
        *error = std::string("mmap shared state: ") + std::strerror(errno);
        return false;
    }
    m_shared = static_cast<SharedState *>(mem);
    close(kRunnerSharedFd);
    m_shared->mode.store(m_options.mode == RunMode::Free ? GateMode::Free : GateMode::Gated);
    m_gates.attach(m_shared);

    int telemetry[2];
    if (pipe2(telemetry, O_CLOEXEC) < 0) {
        *error = std::string("telemetry pipe: ") + std::strerror(errno);
        return false;
    }
    fcntl(telemetry[0], F_SETPIPE_SZ, 1 << 20);
    m_eventRead = telemetry[0];
    fcntl(m_eventRead, F_SETFL, O_NONBLOCK);
    if (dup3(telemetry[1], Tracee::kTelemetryFd, O_CLOEXEC) < 0) {
        *error = std::string("telemetry fd: ") + std::strerror(errno);
        return false;
    }
    close(telemetry[1]);
    fcntl(kRunnerControlFd, F_SETFL, O_NONBLOCK);
    // The programs scenario processes exec (cat) are traced too: seized at their Exec.
    struct stat telemetryStat {
    };
    fstat(m_eventRead, &telemetryStat);
    m_execTracer.attach(m_shared, telemetryStat.st_ino);
    m_gates.setTracedRelease([this](pid_t tid) { return m_execTracer.release(tid); });
    // PIPESCOPE_UNTRACED_EXECS: run them free, as where ptrace is refused (tests of that path, debugging).
    if (getenv("PIPESCOPE_UNTRACED_EXECS") == nullptr)
        m_shared->traceExecs.store(1, std::memory_order_release);

    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP})
        sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    m_signalFd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    return m_signalFd >= 0;
}

pid_t Runner::startScenario()
{
    const pid_t pid = fork();
    if (pid != 0)
        return pid;
    // The scenario's main process: its own process group, so cancel can kill the whole tree at once.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() <= 1)
        _exit(124);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    close(m_eventRead);
    close(m_signalFd);
    close(kRunnerOutFd);
    close(kRunnerControlFd);
    // The observer's stdin is not the scenario's: a read from fd 0 must not steal a terminal's input.
    if (const int devNull = open("/dev/null", O_RDONLY | O_CLOEXEC); devNull >= 0) {
        dup2(devNull, STDIN_FILENO);
        close(devNull);
    }
    const ResolvedScenario resolved = m_resolve(m_options.scenario, m_options.assignments);
    const int slot = m_shared->processCount.fetch_add(1);
    Tracee self(m_shared, Tracee::kTelemetryFd, slot, "parent");
    if (!resolved.ok()) {
        self.note(resolved.error);
        self.exit(2);
    }
    self.exit(resolved.scenario->run(self, resolved.params));
}

int Runner::exec()
{
    std::string error;
    if (!setUp(&error)) {
        std::fprintf(stderr, "pipescope-runner: %s\n", error.c_str());
        return 1;
    }
    // A scenario that can hang brings its own limit (its watchdog-ms parameter);
    // a limit given in the request wins.
    if (m_options.watchdogMs == 0) {
        const ResolvedScenario resolved = m_resolve(m_options.scenario, m_options.assignments);
        if (resolved.ok() && resolved.params.has("watchdog-ms"))
            m_options.watchdogMs = static_cast<int>(resolved.params.integer("watchdog-ms"));
    }
    m_hangWatch.setLimitMs(m_options.watchdogMs);
    Event started;
    started.kind = EventKind::RunStarted;
    started.pid = getpid();
    started.setText(m_options.scenario);
    started.timeNs = Tracee::nowNs(); // before the fork: no event of the run is earlier
    m_mainPid = startScenario();
    if (m_mainPid < 0) {
        std::fprintf(stderr, "pipescope-runner: fork: %s\n", std::strerror(errno));
        return 1;
    }
    setpgid(m_mainPid, m_mainPid); // also here, so the group exists before either side goes on
    close(Tracee::kTelemetryFd); // only the tree holds the write end, so EOF means the tree is gone
    started.otherPid = m_mainPid;
    started.requested = m_options.mode == RunMode::Paced ? m_options.paceMs : 0;
    started.status = static_cast<int>(m_options.mode);
    send(started);
    m_processes.track(m_mainPid, 0, "parent");
    m_hangWatch.setRunning(m_options.mode != RunMode::Step, Tracee::nowNs());
    m_hangWatch.progress(Tracee::nowNs());
    if (m_options.timeLimitMs > 0)
        m_deadlineNs = started.timeNs + m_options.timeLimitMs * kMs;
    loop();
    // The tree is gone. A reap nobody reported (a parent killed inside waitpid
    // collects its child and cannot tell) is said now, so no process looks alive after the end.
    report(m_processes.sweep(m_cancelled));
    // A FIFO is a name in the file system: a run that could not remove its own leaves it to us.
    report(m_fifos.sweep());

    Event finished;
    finished.kind = EventKind::RunFinished;
    finished.pid = getpid();
    if (m_outcome == OutcomeOk && !(WIFEXITED(m_mainStatus) && WEXITSTATUS(m_mainStatus) == 0))
        m_outcome = OutcomeFailed;
    finished.status = m_outcome;
    finished.result = m_mainStatus;
    finished.setText(outcomeName(m_outcome));
    send(finished);
    return 0;
}

void Runner::send(Event &event)
{
    event.seq = ++m_seq;
    if (event.timeNs == 0)
        event.timeNs = Tracee::nowNs();
    if (!writeFully(kRunnerOutFd, &event, sizeof event) && !m_cancelled)
        cancel(OutcomeCancelled); // the observer is gone: nobody to show the run to
}

void Runner::report(std::vector<Event> events)
{
    for (Event &e : events)
        send(e);
}

void Runner::loop()
{
    // Done when the whole tree is gone: every process that holds the telemetry
    // pipe has exited (EOF) and, as a subreaper, we have no child left, not even
    // a zombie; orphans of the tree are reparented to us, so ECHILD covers them.
    while (!(m_eventEof && noChildrenLeft())) {
        std::vector<pollfd> fds;
        fds.push_back({m_eventEof ? -1 : m_eventRead, POLLIN, 0}); // poll reports POLLHUP even with no events asked
        fds.push_back({kRunnerControlFd, static_cast<short>(m_controlOpen ? POLLIN : 0), 0});
        fds.push_back({m_signalFd, POLLIN, 0});
        const auto watched = m_processes.pidfdsToWatch();
        for (const auto &[pid, pidfd] : watched)
            fds.push_back({pidfd, POLLIN, 0});
        const std::int64_t now = Tracee::nowNs();
        std::int64_t wake = m_nextProbeNs;
        if (m_options.mode == RunMode::Paced && !m_gates.empty())
            wake = std::min(wake, m_gates.nextPaceNs());
        if (m_deadlineNs > 0 && !m_cancelled)
            wake = std::min(wake, m_deadlineNs);
        const int timeout = static_cast<int>(std::clamp<std::int64_t>((wake - now + kMs - 1) / kMs, 0, 100));
        const int n = poll(fds.data(), fds.size(), timeout);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[0].revents)
            handleEvents(4096); // a bounded batch, so control and exits are not starved
        if (fds[1].revents)
            handleControl();
        if (fds[2].revents)
            handleSignals();
        for (std::size_t i = 3; i < fds.size(); ++i) {
            if (fds[i].revents) {
                // It has exited, so all it wrote is in the telemetry pipe: forward that first.
                drainEvents();
                report(m_processes.pidfdReadable(watched[i - 3].first, m_cancelled));
            }
        }
        if (Tracee::nowNs() >= m_nextProbeNs) {
            lookAtProcesses();
            BlockWatch::sampleFill(*m_shared);
            checkWatchdog();
            // Held or paced runs change slowly and are watched closely; at full
            // speed a coarser look keeps /proc reads off the data's path.
            // Each look costs a few /proc reads per process: with many processes, look less often.
            const int probeMs = (m_options.mode == RunMode::Free ? 40 : 10) * std::max(1, m_processes.liveCount() / 8);
            m_nextProbeNs = Tracee::nowNs() + probeMs * kMs;
        }
        checkTimeLimit();
        m_gates.releaseDue(m_options.mode, m_options.paceMs, Tracee::nowNs());
        reapChildren(false);
    }
}

bool Runner::noChildrenLeft()
{
    siginfo_t info {};
    // WNOWAIT: only look; reapChildren does the reaping and reports it.
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD;
}

void Runner::drainEvents()
{
    // Inside handleEvents the events before the current one are sent already,
    // and the ones after it must wait for it.
    if (!m_readingEvents)
        handleEvents(0);
}

void Runner::lookAtProcesses()
{
    // What a process wrote before it fell asleep comes before its Blocked event.
    drainEvents();
    std::vector<Event> seen;
    BlockWatch::look(*m_shared, m_processes.processes(), &seen);
    report(std::move(seen));
}

void Runner::handleEvents(int limit)
{
    m_readingEvents = true;
    readEvents(limit);
    m_readingEvents = false;
}

void Runner::readEvents(int limit)
{
    Event e;
    for (int i = 0; limit <= 0 || i < limit; ++i) {
        const ssize_t n = read(m_eventRead, &e, sizeof e);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0) {
            m_eventEof = true;
            return;
        }
        if (n < 0)
            return;
        accept(e, false);
    }
}

void Runner::accept(Event &e, bool traced)
{
    m_hangWatch.progress(Tracee::nowNs());
    if (e.startNs > 0 || e.kind == EventKind::GateWait) {
        // It made a syscall or reached its gate, so it is running: the next
        // time it sleeps in the kernel is a new block and gets its own event.
        if (const auto it = m_processes.processes().find(e.pid); it != m_processes.processes().end()) {
            it->second.blocked = false;
            it->second.blockedText.clear();
        }
    }
    switch (e.kind) {
    case EventKind::ProcessStarted: {
        TrackedProcess &t = m_processes.track(e.pid, e.slot, std::string(e.textView()));
        t.parent = e.otherPid;
        t.started = true;
        break;
    }
    case EventKind::Fork:
        if (e.result > 0) {
            TrackedProcess &child = m_processes.track(static_cast<pid_t>(e.result), -1, std::string(e.textView()));
            if (child.parent == 0)
                child.parent = e.pid;
        }
        break;
    case EventKind::Exec:
        if (!traced && e.result == 0 && !traceExec(e)) {
            send(e);
            send(m_untracedNote); // after the Exec it is about
            return;
        }
        break;
    case EventKind::Wait:
        if (e.result > 0)
            report(m_processes.collectedByParent(static_cast<pid_t>(e.result), e.status));
        break;
    case EventKind::GateWait:
        m_gates.arrived(e.pid, e.slot, Tracee::nowNs(), m_options.paceMs, traced ? m_execTracer.heldTask(e.pid) : 0);
        break;
    case EventKind::Mkfifo: m_fifos.noteEvent(e); break;
    default: break;
    }
    send(e);
}

bool Runner::traceExec(Event &e)
{
    const auto it = m_processes.processes().find(e.pid);
    const pid_t parent = it != m_processes.processes().end() ? it->second.parent : 0;
    std::string why;
    if (m_execTracer.takeOver(e, parent, m_cancelled, &why) || why.empty())
        return true;
    m_untracedNote = Event {};
    m_untracedNote.kind = EventKind::Note;
    m_untracedNote.pid = getpid();
    m_untracedNote.setText(
        "cannot trace '" + std::string(e.textView()) + "' (" + why + "): its own calls are not seen");
    return false;
}

void Runner::handleControl()
{
    ControlMessage msg;
    for (;;) {
        const ssize_t n = read(kRunnerControlFd, &msg, sizeof msg);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0) {
            // The observer closed its end: it is gone or done with us.
            m_controlOpen = false;
            if (!m_cancelled)
                cancel(OutcomeCancelled);
            return;
        }
        if (n != static_cast<ssize_t>(sizeof msg))
            return;
        switch (msg.op) {
        case ControlMessage::Step: step(msg.arg); break;
        case ControlMessage::StepProcess: m_gates.releaseProcess(msg.arg); break;
        case ControlMessage::Pace:
            m_options.mode = RunMode::Paced;
            m_options.paceMs = std::max(0, msg.arg);
            m_gates.restartPace(Tracee::nowNs(), m_options.paceMs);
            m_shared->mode.store(GateMode::Gated);
            m_hangWatch.setRunning(true, Tracee::nowNs());
            break;
        case ControlMessage::Free:
            m_options.mode = RunMode::Free;
            m_shared->mode.store(GateMode::Free);
            m_hangWatch.setRunning(true, Tracee::nowNs());
            break;
        case ControlMessage::Hold:
            // Paused: the lecturer is explaining, and the watchdog waits with them.
            m_options.mode = RunMode::Step;
            m_shared->mode.store(GateMode::Gated);
            m_hangWatch.setRunning(false, Tracee::nowNs());
            break;
        case ControlMessage::Cancel:
            if (!m_cancelled)
                cancel(OutcomeCancelled);
            break;
        }
    }
}

void Runner::handleSignals()
{
    signalfd_siginfo info;
    while (read(m_signalFd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGCHLD)
            reapChildren(false);
        else if (!m_cancelled)
            cancel(OutcomeCancelled);
    }
}

void Runner::step(int count)
{
    // A gate reached a moment ago may still be unread in the telemetry pipe.
    drainEvents();
    if (m_gates.step(count) > 0)
        return;
    // Nobody to release, and the step is not kept for later (it would let the run
    // go on by itself in a burst): say why, from a fresh look at the tree.
    lookAtProcesses();
    Event e;
    e.kind = EventKind::Note;
    e.pid = getpid();
    e.requested = count;
    e.setText(GateKeeper::whyStepDidNothing(HangWatch::allLiveBlocked(m_processes.processes())));
    send(e);
}

void Runner::reapChildren(bool block)
{
    for (;;) {
        int status = 0;
        // __WALL: the threads of a traced program stop here too.
        const pid_t pid = waitpid(-1, &status, (block ? 0 : WNOHANG) | __WALL);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid <= 0)
            return;
        // Stopped: only a ptrace stop reaches us (no WUNTRACED), if need be the first stop
        // of a new task of a traced program, before its parent's fork event.
        if (WIFSTOPPED(status) || m_execTracer.traces(pid)) {
            // What the others wrote before this stop comes before what it makes of it.
            drainEvents();
            if (!m_execTracer.handle(pid, status))
                continue; // a stop, or the tracer's notice of an end its parent reaps
        }
        if (pid == m_mainPid)
            m_mainStatus = status;
        // It is gone, so all it wrote is in the telemetry pipe: forward that before its end.
        drainEvents();
        report(m_processes.reapedBy(pid, status, getpid()));
    }
}

void Runner::checkWatchdog()
{
    if (!m_hangWatch.expired(*m_shared, m_processes.processes(), Tracee::nowNs()) || m_cancelled)
        return;
    Event e;
    e.kind = EventKind::Watchdog;
    e.pid = getpid();
    e.requested = m_hangWatch.limitMs();
    e.setText("every live process waits in the kernel and nothing moved; stuck:");
    send(e);
    // One note per stuck process, so no explanation is cut to fit an event.
    for (const std::string &line : HangWatch::describe(m_processes.processes())) {
        Event more;
        more.kind = EventKind::Note;
        more.pid = getpid();
        more.setText("stuck: " + line);
        send(more);
    }
    cancel(OutcomeWatchdog);
}

void Runner::checkTimeLimit()
{
    if (m_deadlineNs <= 0 || m_cancelled || Tracee::nowNs() < m_deadlineNs)
        return;
    // Unlike the watchdog, this fires whatever the tree does: `yes` into a pipe
    // moves data for ever, so it never looks hung.
    Event e;
    e.kind = EventKind::Note;
    e.pid = getpid();
    e.requested = m_options.timeLimitMs;
    e.setText("stopped: time limit of " + std::to_string(m_options.timeLimitMs)
        + " ms reached; every process is killed and reaped");
    send(e);
    cancel(OutcomeTimeLimit);
}

void Runner::cancel(int outcome)
{
    m_cancelled = true;
    m_outcome = outcome;
    if (m_mainPid > 1)
        kill(-m_mainPid, SIGKILL);
    // Any that left the group, through its pidfd: a pid may be reused, a pidfd cannot.
    m_processes.killAll();
    // Release the gates too, though SIGKILL does not need it.
    m_options.mode = RunMode::Free;
    m_shared->mode.store(GateMode::Free);
}

} // namespace pipescope
