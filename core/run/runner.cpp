#include "core/run/runner.h"

#include "core/run/scenario.h"
#include "core/model/sharedstate.h"
#include "core/run/tracee.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
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
#include <cstring>

namespace pipescope
{

namespace
{

constexpr std::int64_t kMs = 1000000;

void futexWake(std::atomic<std::uint32_t> *word)
{
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), FUTEX_WAKE, 1 << 30, nullptr, nullptr, 0);
}

int pidfdOpen(pid_t pid)
{
    return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

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

bool Runner::parseArguments(int argc, char **argv, Options *options, std::string *error)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--scenario" && hasValue) {
            options->scenario = argv[++i];
        } else if (arg == "--mode" && hasValue) {
            const auto mode = runModeFromName(argv[++i]);
            if (!mode) {
                *error = "unknown mode";
                return false;
            }
            options->mode = *mode;
        } else if (arg == "--pace" && hasValue) {
            options->paceMs = std::atoi(argv[++i]);
        } else if (arg == "--watchdog" && hasValue) {
            options->watchdogMs = std::atoi(argv[++i]);
        } else if (arg == "--parent" && hasValue) {
            options->expectedParent = std::atoi(argv[++i]);
        } else if (arg == "--set" && hasValue) {
            bool ok = false;
            options->assignments.push_back(ParamValues::splitAssignment(argv[++i], &ok));
            if (!ok) {
                *error = std::string("bad assignment ") + argv[i];
                return false;
            }
        } else {
            *error = "unknown argument " + arg;
            return false;
        }
    }
    if (options->scenario.empty()) {
        *error = "no scenario";
        return false;
    }
    return true;
}

int Runner::main(int argc, char **argv, ScenarioResolver resolve)
{
    // Die with the observer: a runner must never outlive the program that started it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    Options options;
    std::string error;
    if (!parseArguments(argc, argv, &options, &error)) {
        std::fprintf(
            stderr, "pipescope-runner: %s (this program is started by pipescope, not by hand)\n", error.c_str());
        return 2;
    }
    if (options.expectedParent != 0 && getppid() != options.expectedParent)
        return 3; // the observer died before we could arm PDEATHSIG
    Runner runner(std::move(options), resolve);
    return runner.exec();
}

Runner::Runner(Options options, ScenarioResolver resolve) : m_options(std::move(options)), m_resolve(resolve)
{
}

Runner::~Runner()
{
    for (auto &[pid, t] : m_tracked) {
        if (t.pidfd >= 0)
            close(t.pidfd);
    }
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
    track(m_mainPid, 0, "parent");
    m_lastProgressNs = Tracee::nowNs();
    loop();

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

void Runner::track(pid_t pid, int slot, const std::string &role)
{
    auto [it, inserted] = m_tracked.try_emplace(pid);
    Tracked &t = it->second;
    if (inserted) {
        t.pid = pid;
        t.pidfd = pidfdOpen(pid);
        t.exited = t.pidfd < 0; // ESRCH: it has already exited and been reaped
    }
    if (slot >= 0)
        t.slot = slot;
    if (!role.empty())
        t.role = role;
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
        std::vector<pid_t> pidOrder;
        for (auto &[pid, t] : m_tracked) {
            if (t.pidfd >= 0 && !t.exited) {
                fds.push_back({t.pidfd, POLLIN, 0});
                pidOrder.push_back(pid);
            }
        }
        const std::int64_t now = Tracee::nowNs();
        std::int64_t wake = m_nextProbeNs;
        if (m_options.mode == RunMode::Paced && !m_gates.empty())
            wake = std::min(wake, m_nextPaceNs);
        const int timeout = static_cast<int>(std::clamp<std::int64_t>((wake - now + kMs - 1) / kMs, 0, 100));
        const int n = poll(fds.data(), fds.size(), timeout);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[0].revents)
            handleEvents();
        if (fds[1].revents)
            handleControl();
        if (fds[2].revents)
            handleSignals();
        for (std::size_t i = 3; i < fds.size(); ++i) {
            if (fds[i].revents)
                handleExit(m_tracked[pidOrder[i - 3]]);
        }
        if (Tracee::nowNs() >= m_nextProbeNs) {
            probeProcesses();
            sampleFill();
            checkWatchdog();
            // Held or paced runs change slowly and are watched closely; at full
            // speed a coarser look keeps /proc reads off the data's path.
            // Each look costs a few /proc reads per process: with many processes, look less often.
            const auto live = std::count_if(m_tracked.begin(), m_tracked.end(),
                [](const auto &kv) { return !kv.second.exited && !kv.second.reaped; });
            const int probeMs
                = (m_options.mode == RunMode::Free ? 40 : 10) * std::max<int>(1, static_cast<int>(live) / 8);
            m_nextProbeNs = Tracee::nowNs() + probeMs * kMs;
        }
        releaseGates();
        reapChildren(false);
    }
}

bool Runner::noChildrenLeft()
{
    siginfo_t info {};
    // WNOWAIT: only look; reapChildren does the reaping and reports it.
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD;
}

void Runner::handleEvents()
{
    Event e;
    for (int i = 0; i < 4096; ++i) {
        const ssize_t n = read(m_eventRead, &e, sizeof e);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0) {
            m_eventEof = true;
            return;
        }
        if (n < 0)
            return;
        m_lastProgressNs = Tracee::nowNs();
        if (e.startNs > 0 || e.kind == EventKind::GateWait) {
            // It made a syscall or reached its gate, so it is running: the next
            // time it sleeps in the kernel is a new block and gets its own event.
            if (const auto it = m_tracked.find(e.pid); it != m_tracked.end()) {
                it->second.blocked = false;
                it->second.blockedText.clear();
            }
        }
        switch (e.kind) {
        case EventKind::ProcessStarted:
            track(e.pid, e.slot, std::string(e.textView()));
            m_tracked[e.pid].parent = e.otherPid;
            break;
        case EventKind::Fork:
            if (e.result > 0)
                track(static_cast<pid_t>(e.result), -1, std::string(e.textView()));
            break;
        case EventKind::Wait:
            if (const auto it = m_tracked.find(static_cast<pid_t>(e.result)); e.result > 0 && it != m_tracked.end()) {
                if (it->second.pidfd >= 0)
                    handleExit(it->second); // say it exited before its parent says it reaped it
                it->second.exited = it->second.reaped = true;
            }
            break;
        case EventKind::GateWait:
            m_gates.emplace_back(e.pid, e.slot);
            if (m_gates.size() == 1)
                m_nextPaceNs = Tracee::nowNs() + std::int64_t {m_options.paceMs} * kMs;
            break;
        default: break;
        }
        send(e);
    }
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
        case ControlMessage::Step: m_stepCredits += std::max(1, msg.arg); break;
        case ControlMessage::StepProcess: releaseProcess(msg.arg); break;
        case ControlMessage::Pace:
            m_options.mode = RunMode::Paced;
            m_options.paceMs = std::max(0, msg.arg);
            m_nextPaceNs = Tracee::nowNs() + std::int64_t {m_options.paceMs} * kMs;
            m_shared->mode.store(GateMode::Gated);
            break;
        case ControlMessage::Free:
            m_options.mode = RunMode::Free;
            m_shared->mode.store(GateMode::Free);
            break;
        case ControlMessage::Hold:
            m_options.mode = RunMode::Step;
            m_stepCredits = 0;
            m_shared->mode.store(GateMode::Gated);
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

void Runner::handleExit(Tracked &t)
{
    close(t.pidfd);
    t.pidfd = -1;
    if (t.exited)
        return;
    t.exited = true;
    // A zombie's wait status is in /proc/PID/stat until its parent reaps it; if
    // the parent was quicker, its own wait event carries the status instead.
    const auto probe = ProcProbe::probe(t.pid);
    if (!probe && m_cancelled) {
        // Its parent, killed inside waitpid, reaped it on the way out and will
        // never report it: say so, or it would look alive for ever. It died of our SIGKILL.
        Event e;
        e.kind = EventKind::Reaped;
        e.pid = t.pid;
        e.otherPid = t.parent;
        e.slot = t.slot;
        e.status = SIGKILL;
        e.setText(t.role);
        send(e);
        t.reaped = true;
        return;
    }
    if (!probe || !probe->zombie())
        return;
    Event e;
    e.kind = EventKind::Exited;
    e.pid = t.pid;
    e.slot = t.slot;
    e.status = probe->exitCode;
    e.setText(t.role);
    send(e);
}

void Runner::reapChildren(bool block)
{
    for (;;) {
        int status = 0;
        const pid_t pid = waitpid(-1, &status, block ? 0 : WNOHANG);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid <= 0)
            return;
        Tracked &t = m_tracked[pid];
        t.pid = pid;
        if (!t.exited) {
            t.exited = true;
            Event exited;
            exited.kind = EventKind::Exited;
            exited.pid = pid;
            exited.slot = t.slot;
            exited.status = status;
            exited.setText(t.role);
            send(exited);
        }
        t.reaped = true;
        if (pid == m_mainPid)
            m_mainStatus = status;
        Event reaped;
        reaped.kind = EventKind::Reaped;
        reaped.pid = pid;
        reaped.otherPid = getpid();
        reaped.status = status;
        send(reaped);
    }
}

void Runner::probeProcesses()
{
    for (auto &[pid, t] : m_tracked) {
        if (t.exited || t.reaped)
            continue;
        const auto probe = ProcProbe::probe(pid);
        if (!probe)
            continue;
        t.lastProbe = *probe;
        const bool held = t.slot >= 0 && m_shared->processes[t.slot].held.load() == 1;
        const std::string text = held ? std::string() : probe->describe();
        const bool blocked = !text.empty() && probe->sleeping();
        if (blocked == t.blocked && text == t.blockedText)
            continue;
        Event e;
        e.kind = blocked ? EventKind::Blocked : EventKind::Woken;
        e.pid = pid;
        e.slot = t.slot;
        e.fd = static_cast<int>(probe->arg0);
        e.requested = probe->syscall;
        e.setText(blocked ? text + " [" + probe->wchan + "]" : std::string("running"));
        e.result = -1;
        if (blocked && probe->wchan.find("pipe_write") != std::string::npos)
            measureFullPipe(t, e);
        if (!(blocked == false && t.blocked == false))
            send(e);
        t.blocked = blocked;
        t.blockedText = text;
    }
}

void Runner::releaseOne()
{
    while (!m_gates.empty()) {
        const auto [pid, slot] = m_gates.front();
        m_gates.pop_front();
        if (slot < 0 || slot >= SharedState::kMaxProcesses)
            continue;
        auto &held = m_shared->processes[slot].held;
        if (held.load() != 1)
            continue;
        held.store(0);
        futexWake(&held);
        return;
    }
}

void Runner::releaseProcess(pid_t pid)
{
    const auto it = std::find_if(m_gates.begin(), m_gates.end(), [&](const auto &g) { return g.first == pid; });
    if (it == m_gates.end())
        return;
    // Move it to the front, so releaseOne takes it and the others keep their order.
    const auto gate = *it;
    m_gates.erase(it);
    m_gates.push_front(gate);
    releaseOne();
}

void Runner::releaseGates()
{
    switch (m_options.mode) {
    case RunMode::Free:
        while (!m_gates.empty())
            releaseOne();
        m_stepCredits = 0;
        break;
    case RunMode::Paced:
        if (!m_gates.empty() && Tracee::nowNs() >= m_nextPaceNs) {
            releaseOne();
            m_nextPaceNs = Tracee::nowNs() + std::int64_t {m_options.paceMs} * kMs;
        }
        break;
    case RunMode::Step:
        while (m_stepCredits > 0 && !m_gates.empty()) {
            releaseOne();
            --m_stepCredits;
        }
        break;
    }
}

void Runner::measureFullPipe(const Tracked &t, Event &e)
{
    // Borrow the blocked writer's own write end (pidfd_getfd) and ask the kernel
    // how many bytes the pipe holds. Safe: while the writer sleeps in write()
    // it keeps that end open itself, so one more writer for a moment changes
    // neither EOF nor EPIPE for anyone.
    if (t.pidfd < 0 || e.fd < 0)
        return;
    const int fd = static_cast<int>(syscall(SYS_pidfd_getfd, t.pidfd, e.fd, 0));
    if (fd < 0)
        return;
    int bytes = -1;
    struct stat st {
    };
    if (ioctl(fd, FIONREAD, &bytes) == 0 && fstat(fd, &st) == 0) {
        e.result = bytes;
        e.inode = st.st_ino;
        if (const int slot = m_shared->findPipe(st.st_ino); slot >= 0) {
            auto &maxFill = m_shared->pipes[slot].maxFill;
            if (bytes > maxFill.load())
                maxFill.store(bytes);
        }
    }
    close(fd);
}

void Runner::sampleFill()
{
    // At full speed writers do not compute the fill; a look every tick instead.
    const int n = std::min(m_shared->pipeCount.load(), SharedState::kMaxPipes);
    for (int i = 0; i < n; ++i) {
        SharedPipe &p = m_shared->pipes[i];
        const std::int64_t fill = std::clamp<std::int64_t>(p.written.load() - p.read.load(), 0, p.capacity.load());
        if (fill > p.maxFill.load())
            p.maxFill.store(fill);
    }
}

std::int64_t Runner::counterSum() const
{
    std::int64_t sum = 0;
    const int n = std::min(m_shared->pipeCount.load(), SharedState::kMaxPipes);
    for (int i = 0; i < n; ++i)
        sum += m_shared->pipes[i].written.load() + m_shared->pipes[i].read.load();
    return sum;
}

bool Runner::allLiveBlocked() const
{
    bool any = false;
    for (const auto &[pid, t] : m_tracked) {
        if (t.exited || t.reaped)
            continue;
        if (!t.blocked)
            return false;
        any = true;
    }
    return any;
}

std::vector<std::string> Runner::describeHang()
{
    std::vector<std::string> lines;
    for (auto &[pid, t] : m_tracked) {
        if (t.exited || !t.blocked)
            continue;
        std::string text = std::to_string(pid) + " (" + t.role + ") " + t.blockedText;
        // Name who keeps the pipe open that a blocked reader waits on, and who
        // holds the read end that a blocked writer waits for (a deadlock's other half).
        const bool reading = t.lastProbe.wchan.find("pipe_read") != std::string::npos;
        if (!reading && t.lastProbe.wchan.find("pipe_write") == std::string::npos) {
            lines.push_back(text);
            continue;
        }
        std::uint64_t inode = 0;
        for (const FdEntry &fd : ProcProbe::fdTable(pid)) {
            if (fd.fd == t.lastProbe.arg0)
                inode = fd.pipeInode;
        }
        for (auto &[other, o] : m_tracked) {
            if (o.exited || inode == 0)
                continue;
            for (const FdEntry &fd : ProcProbe::fdTable(other)) {
                if (fd.pipeInode == inode && (reading ? fd.writeEnd : fd.readEnd))
                    text += (reading ? ", write end kept open by " : ", read end held by ") + std::to_string(other)
                        + " (" + o.role + ") fd " + std::to_string(fd.fd);
            }
        }
        lines.push_back(text);
    }
    return lines;
}

void Runner::checkWatchdog()
{
    const std::int64_t sum = counterSum();
    if (sum != m_lastCounterSum) {
        m_lastCounterSum = sum;
        m_lastProgressNs = Tracee::nowNs();
    }
    if (m_options.watchdogMs <= 0 || m_cancelled || !allLiveBlocked())
        return;
    if (Tracee::nowNs() - m_lastProgressNs < std::int64_t {m_options.watchdogMs} * kMs)
        return;
    Event e;
    e.kind = EventKind::Watchdog;
    e.pid = getpid();
    e.requested = m_options.watchdogMs;
    e.setText("every live process waits in the kernel and nothing moved; stuck:");
    send(e);
    // One note per stuck process, so no explanation is cut to fit an event.
    for (const std::string &line : describeHang()) {
        Event more;
        more.kind = EventKind::Note;
        more.pid = getpid();
        more.setText("stuck: " + line);
        send(more);
    }
    cancel(OutcomeWatchdog);
}

void Runner::cancel(int outcome)
{
    m_cancelled = true;
    m_outcome = outcome;
    if (m_mainPid > 1)
        kill(-m_mainPid, SIGKILL);
    // Any that left the group, through its pidfd: a pid may be reused, a pidfd cannot.
    for (auto &[pid, t] : m_tracked) {
        if (t.pidfd >= 0)
            syscall(SYS_pidfd_send_signal, t.pidfd, SIGKILL, nullptr, 0);
    }
    // Release the gates too, though SIGKILL does not need it.
    m_options.mode = RunMode::Free;
    m_shared->mode.store(GateMode::Free);
}

} // namespace pipescope
