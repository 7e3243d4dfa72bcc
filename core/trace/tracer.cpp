#include "core/trace/tracer.h"

#include "core/trace/attacher.h"
#include "core/trace/attachreport.h"
#include "core/trace/stopdispatch.h"
#include "core/trace/stopwaiter.h"
#include "core/trace/taskdetacher.h"
#include "core/trace/tracelauncher.h"

#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <set>

namespace pipescope
{

namespace
{

std::atomic<bool> g_cancel {false};

constexpr int kGraceMs = 500; // SIGTERM first; SIGKILL for a program that ignores it
constexpr int kLookMs = SyscallStops::kLookMs;
constexpr long kOptions = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC
    | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD;
// Attached: no seccomp, and never EXITKILL: the program must outlive its observer.
constexpr long kAttachOptions
    = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD;

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

/// An event of one process, the fields most events have.
Event makeEvent(EventKind kind, pid_t pid, pid_t other = 0, std::string_view text = {})
{
    Event e;
    e.kind = kind;
    e.pid = pid;
    e.otherPid = other;
    e.setText(text);
    return e;
}

void onAlarm(int)
{
    // Only interrupts waitpid (no SA_RESTART): the grace period is over.
}

} // namespace

void Tracer::requestCancel()
{
    g_cancel.store(true);
}

Tracer::~Tracer()
{
    // A tracer destroyed mid-run must not leave its tree behind.
    if (!m_tasks.empty()) {
        killTree(SIGKILL);
        while (waitpid(-1, nullptr, __WALL) > 0 || errno == EINTR) { }
    }
}

void Tracer::reportStarted(pid_t root, const std::string &text)
{
    Event started = makeEvent(EventKind::RunStarted, m_self, root, text);
    started.timeNs = m_startNs;
    started.requested = m_options.mode == TraceOptions::Mode::Paced ? m_options.paceMs : 0;
    report(started);
}

bool Tracer::start(const TraceOptions &options, std::string *problem)
{
    m_options = options;
    m_step.setMode(options.mode, options.paceMs);
    m_self = getpid();
    g_cancel.store(false);
    if (options.argv.empty() || options.argv.front().empty()) {
        *problem = "cannot run '': No such file or directory";
        return false;
    }
    const std::string &program = options.argv.front();
    m_startNs = nowNs();
    // Count-only reads each process's final /proc/PID/io at its exit stop.
    const long ptraceOptions = options.countOnly ? kOptions | PTRACE_O_TRACEEXIT : kOptions;
    const pid_t pid = TraceLauncher::launch(options.argv, ptraceOptions, problem, options.countOnly);
    if (pid < 0)
        return false;
    m_root = pid;
    m_tree.setSelf(m_self, false);
    m_tree.setRoot(pid);

    std::string joined;
    for (const std::string &a : options.argv)
        joined += (joined.empty() ? "" : " ") + a;
    reportStarted(pid, joined);

    Process &root = m_tree.addProcess(pid, m_self, TraceTree::baseName(program));
    root.fds.reload(pid);
    m_tree.addTask(pid, pid);
    report(makeEvent(EventKind::ProcessStarted, pid, m_self, root.role));
    report(makeEvent(EventKind::Exec, pid, 0, joined.substr(0, Event::kTextSize - 1)));
    // Pipes it got from whoever started it (`echo hi | pipescope-cli trace -- cat`): shown as held.
    for (const Event &e : TraceTree::inheritedEnds(pid, root.fds))
        report(e);
    if (options.countOnly) {
        m_stops.setLedger(&m_ledger);
        m_tree.setLedger(&m_ledger);
        m_ledger.look(pid, root.fds);
    }
    ptrace(PTRACE_CONT, pid, 0, 0);
    return true;
}

bool Tracer::attach(const TraceOptions &options, std::string *problem)
{
    m_options = options;
    m_step.setMode(options.mode, options.paceMs);
    m_self = getpid();
    if (options.countOnly) {
        *problem = "count-only needs a program the tracer starts: an attached process has no seccomp filter";
        return false;
    }
    m_attach = true;
    g_cancel.store(false);
    m_startNs = nowNs();
    std::vector<Attacher::Taken> taken;
    std::vector<Event> notes;
    if (!Attacher::attach(options, kAttachOptions, &taken, &notes, problem))
        return false;
    m_stops.setTraced(Attacher::tracedCalls());
    m_root = options.attachPid;
    m_tree.setSelf(m_self, true);
    m_tree.setRoot(m_root);
    reportStarted(m_root, "attach " + std::to_string(m_root) + ": " + AttachReport::commandLine(m_root));
    for (const Attacher::Taken &t : taken) {
        Process &p = m_tree.addProcess(t.pid, t.ppid, t.role);
        p.fds.reload(t.pid);
        for (const pid_t tid : t.tids)
            m_tree.addTask(tid, t.pid);
        for (const Event &e : AttachReport::found(t.pid, t.ppid, t.role))
            report(e);
    }
    for (const Event &e : notes)
        report(e);
    return true;
}

int Tracer::run()
{
    waitLoop(m_step.controlFd() >= 0);
    if (m_attach) {
        Event finished = makeEvent(EventKind::RunFinished, m_self, 0,
            m_detached > 0 ? "detached: " + std::to_string(m_detached) + " threads go on as before"
                           : std::string("every attached process has exited"));
        finished.status = OutcomeOk;
        finished.result = m_detached;
        report(finished);
        m_tasks.clear();
        return 0;
    }

    if (m_options.countOnly)
        reportDerivedBytes();
    m_tree.reapTheRest();
    Event finished = makeEvent(EventKind::RunFinished, m_self);
    const int rootStatus = m_tree.rootStatus();
    finished.status = m_killing                                   ? OutcomeCancelled
        : (WIFEXITED(rootStatus) && WEXITSTATUS(rootStatus) == 0) ? OutcomeOk
                                                                  : OutcomeFailed;
    finished.result = rootStatus;
    finished.setText(outcomeName(finished.status));
    report(finished);
    m_tasks.clear();
    return rootStatus;
}

void Tracer::waitLoop(bool withControl)
{
    struct sigaction alarm {
    };
    struct sigaction oldAlarm {
    };
    alarm.sa_handler = onAlarm;
    sigaction(SIGALRM, &alarm, &oldAlarm);
    // Without a control fd, a tick wakes waitpid now and then: to look for
    // processes asleep in a pipe call, and to end the grace period of a
    // cancelled run. With one, poll's timeout does the same.
    itimerval tick {};
    tick.it_interval.tv_usec = kLookMs * 1000;
    tick.it_value = tick.it_interval;
    if (!withControl)
        setitimer(ITIMER_REAL, &tick, nullptr);
    std::optional<StopWaiter> waiter;
    if (withControl)
        waiter.emplace();
    std::int64_t killAt = 0;
    bool busy = true; // the last waitpid found a stop: look again before sleeping
    for (;;) {
        if (g_cancel.load() && m_attach) {
            detachAll();
            break;
        }
        if (g_cancel.load() && !m_killing) {
            m_killing = true;
            killTree(SIGTERM);
            killAt = nowNs() + std::int64_t {kGraceMs} * 1000000;
        }
        if (m_killing && !m_killed && nowNs() >= killAt) {
            m_killed = true;
            killTree(SIGKILL);
        }
        if (!m_pending.empty()) {
            const auto [held, heldStatus] = m_pending.front(); // stops that came while one was held
            m_pending.pop_front();
            handle(held, heldStatus);
            continue;
        }
        m_stops.lookForBlocked(m_tasks);
        int status = 0;
        pid_t tid = 0;
        if (waiter) {
            // The control fd is read before each stop is handled, so that a
            // pause takes effect at once however fast the tracees stop.
            int timeoutMs = busy ? 0 : kLookMs;
            if (m_killing && !m_killed)
                timeoutMs = std::min<int>(timeoutMs, std::max<std::int64_t>(0, (killAt - nowNs()) / 1000000 + 1));
            if (waiter->wait(m_step.controlFd(), timeoutMs))
                m_step.serviceControl();
            tid = waitpid(-1, &status, __WALL | WNOHANG);
            busy = tid > 0;
            if (tid == 0)
                continue;
        } else {
            tid = waitpid(-1, &status, __WALL);
        }
        if (tid < 0) {
            if (errno == EINTR)
                continue;
            break; // ECHILD: the whole tree is gone and reaped
        }
        handle(tid, status);
    }
    itimerval off {};
    setitimer(ITIMER_REAL, &off, nullptr);
    sigaction(SIGALRM, &oldAlarm, nullptr);
}

void Tracer::detachAll()
{
    // Stops taken while one was held: those tasks are stopped where they are.
    for (const auto &[tid, status] : m_pending)
        m_early[tid] = status;
    m_pending.clear();
    std::set<pid_t> running;
    for (const auto &[tid, task] : m_tasks)
        running.insert(tid);
    for (const auto &[tid, status] : m_early)
        running.erase(tid);
    m_detached = TaskDetacher::detachAll(running, m_early);
    m_early.clear();
    m_tasks.clear();
}

void Tracer::killTree(int signal)
{
    // Newest first (most often the children): a reader whose writers died before it
    // would read an EOF that only the cancel made.
    for (auto it = m_processes.rbegin(); it != m_processes.rend(); ++it) {
        if (!it->second.exited)
            kill(it->first, signal);
    }
    for (const auto &[tid, status] : m_early)
        kill(tid, signal);
}

void Tracer::report(Event event)
{
    if (event.timeNs == 0)
        event.timeNs = nowNs();
    event.seq = m_seq++;
    if ((event.kind == EventKind::Mkfifo || event.kind == EventKind::Open) && event.inode != 0)
        m_fifos.insert(event.inode);
    m_sink(event);
}

void Tracer::flushFailedExec(Process &process)
{
    m_tree.flushFailedExec(process);
}

void Tracer::resume(const Task &task, int signal)
{
    // Attached, without seccomp, every call's entry is a PTRACE_SYSCALL stop.
    const __ptrace_request request = m_attach || (task.inCall && task.wantExit) ? PTRACE_SYSCALL : PTRACE_CONT;
    ptrace(request, task.tid, 0, signal);
}

void Tracer::handle(pid_t tid, int status)
{
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        m_tree.onExit(tid, status);
        return;
    }
    if (!WIFSTOPPED(status))
        return;
    TracedTask *task = StopDispatch::taskOf(m_tree, tid, status);
    if (!task
        || StopDispatch::dispatch(m_tree, m_stops, *this, *task, status, [this](pid_t t, int s) { handle(t, s); }))
        return;
    // Its exit stop. Count-only: the leader's counters are final here and its fds still open.
    if (m_options.countOnly && task->tid == task->tgid)
        m_ledger.exitStop(task->tgid);
    resume(*task);
}

void Tracer::collectWhileHeld()
{
    // Stops of other tasks wait in the kernel while one is held. A stop at a
    // call's entry (which could hold in turn) is kept for the loop, in order,
    // and gets its GateWait now instead of looking like it still runs. Any
    // other stop (a new task's first, a fork, an exec, an exit) is handled at
    // once, so that a new child runs on to its first call and shows there.
    int status = 0;
    pid_t tid = 0;
    while ((tid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
        const int event = status >> 16;
        const bool seccomp = WIFSTOPPED(status) && event == PTRACE_EVENT_SECCOMP;
        const bool syscall = WIFSTOPPED(status) && m_attach && event == 0 && WSTOPSIG(status) == (SIGTRAP | 0x80);
        const bool queued = std::any_of(
            m_pending.begin(), m_pending.end(), [tid](const auto &p) { return p.first == tid; }); // keep its order
        if (!seccomp && !syscall && !queued) {
            handle(tid, status);
            continue;
        }
        m_pending.emplace_back(tid, status);
        const auto it = m_tasks.find(tid);
        if (it == m_tasks.end() || it->second.gateShown || m_step.mode() == TraceOptions::Mode::Free || m_killing)
            continue;
        if (auto gate = m_stops.preview(it->second, seccomp)) {
            it->second.gateShown = true;
            report(*gate);
        }
    }
}

bool Tracer::hold(Task &task)
{
    if (m_step.mode() == TraceOptions::Mode::Free || m_killing)
        return false;
    Event gate = makeEvent(EventKind::GateWait, task.tgid);
    gate.pending = task.call.produces;
    gate.fd = task.call.fd;
    gate.startNs = task.call.startNs;
    if (!task.gateShown) // shown already while another process was held
        report(gate);
    task.gateShown = false;
    sigset_t tick;
    sigemptyset(&tick);
    sigaddset(&tick, SIGALRM);
    sigprocmask(SIG_BLOCK, &tick, nullptr); // the tick must not cut a pace short or end a step's input
    m_step.hold(gate, g_cancel);
    sigprocmask(SIG_UNBLOCK, &tick, nullptr);
    return false; // held here until released: it goes on now
}

Tracer::Process *Tracer::findProcess(pid_t pid)
{
    const auto it = m_processes.find(pid);
    return it == m_processes.end() ? nullptr : &it->second;
}

void Tracer::reportDerivedBytes()
{
    m_derived = m_ledger.result();
    for (PipeBytes &p : m_derived.pipes) {
        p.fifo = m_fifos.count(p.inode) != 0;
        Event e = p.note();
        e.pid = m_self;
        report(e);
    }
}

} // namespace pipescope
