#include "core/run/exectracer.h"

#include "core/model/sharedstate.h"
#include "core/run/tracee.h"
#include "core/trace/stopdispatch.h"

#include <linux/futex.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>

namespace pipescope
{

namespace
{

// TRACEEXIT: a task is let go at its exit stop, so its real parent reaps it as usual.
constexpr long kOptions = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC
    | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL;

/// Alive and not a zombie: a zombie's children have been given to the subreaper already.
bool livesOn(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (pid <= 0 || !std::getline(stat, line))
        return false;
    const auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

bool inProc(pid_t pid)
{
    return access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0;
}

} // namespace

ExecTracer::ExecTracer(Sink sink)
    : m_sink(std::move(sink)), m_tree([this](const Event &e) { report(e); }), m_stops(*this)
{
}

void ExecTracer::attach(SharedState *shared, std::uint64_t telemetryInode)
{
    m_shared = shared;
    m_telemetryInode = telemetryInode;
    m_tree.setSelf(getpid(), false);
}

bool ExecTracer::takeOver(Event &exec, pid_t parent, bool cancelled, std::string *why)
{
    const int slot = exec.slot;
    if (!m_shared || m_shared->traceExecs.load() == 0 || slot < 0 || slot >= SharedState::kMaxProcesses)
        return false;
    const bool traced = !cancelled && seize(exec.pid, parent, slot, std::string(exec.textView()), why);
    if (traced)
        exec.status |= kExecStatusTraced;
    auto &word = m_shared->processes[slot].execTrace;
    word.store(traced ? kExecTraced : kExecUntraced, std::memory_order_release);
    // Process-shared futex (no FUTEX_PRIVATE_FLAG): the word lives in a MAP_SHARED mapping.
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&word), FUTEX_WAKE, 1, nullptr, nullptr, 0);
    return traced;
}

bool ExecTracer::seize(pid_t pid, pid_t parent, int slot, const std::string &role, std::string *why)
{
    if (ptrace(PTRACE_SEIZE, pid, 0, kOptions) != 0) {
        const int err = errno;
        *why = std::string("PTRACE_SEIZE: ") + std::strerror(err)
            + (err == EPERM ? " (see /proc/sys/kernel/yama/ptrace_scope)" : "");
        return false;
    }
    TracedProcess &p = m_tree.addProcess(pid, parent, role);
    p.fds.reload(pid);
    // The runner's telemetry pipe is close-on-exec: until the exec it is there, and
    // the Tracee's own reports through it (a failed exec) are not the lesson's.
    for (const auto &[fd, target] : std::map<int, FdTarget>(p.fds.entries())) {
        if (target.isPipe() && target.inode == m_telemetryInode)
            p.fds.erase(fd);
    }
    m_tree.addTask(pid, pid);
    m_slots[pid] = slot;
    m_dataEventsLeft[pid] = Tracee::kFreeRunDataEvents;
    m_awaitingExec.insert(pid);
    return true;
}

TracedProcess *ExecTracer::findProcess(pid_t pid)
{
    const auto it = m_tree.processes().find(pid);
    return it == m_tree.processes().end() ? nullptr : &it->second;
}

pid_t ExecTracer::heldTask(pid_t pid) const
{
    const auto it = m_held.find(pid);
    return it == m_held.end() ? 0 : it->second;
}

bool ExecTracer::release(pid_t tid)
{
    const auto held = std::find_if(m_held.begin(), m_held.end(), [tid](const auto &h) { return h.second == tid; });
    if (held == m_held.end())
        return false;
    m_held.erase(held);
    if (m_exiting.erase(tid) != 0) {
        ptrace(PTRACE_DETACH, tid, 0, 0);
        forget(tid);
        return true;
    }
    const auto task = m_tree.tasks().find(tid);
    if (task == m_tree.tasks().end())
        return false;
    resume(task->second);
    return true;
}

void ExecTracer::resume(const TracedTask &task, int signal)
{
    ptrace(task.inCall && task.wantExit ? PTRACE_SYSCALL : PTRACE_CONT, task.tid, 0, signal);
}

bool ExecTracer::hold(TracedTask &task)
{
    if (!m_shared || m_shared->mode.load(std::memory_order_acquire) == GateMode::Free)
        return false;
    // The exec that was asked for passed its gate already, as the scenario's own call;
    // a failed exec's report through the runner's pipe is PipeScope's, not the lesson's.
    if ((task.call.produces == EventKind::Exec && m_awaitingExec.count(task.tgid))
        || (m_telemetryInode != 0 && task.call.target.inode == m_telemetryInode))
        return false;
    Event gate;
    gate.kind = EventKind::GateWait;
    gate.pid = task.tgid;
    gate.pending = task.call.produces;
    gate.fd = task.call.fd;
    gate.startNs = task.call.startNs;
    if (task.call.produces == EventKind::Read || task.call.produces == EventKind::Write)
        gate.requested = static_cast<std::int64_t>(task.call.args[2]);
    m_held[task.tgid] = task.tid; // before the report: the runner asks who is held when it queues the gate
    report(gate);
    return true;
}

bool ExecTracer::holdExit(TracedTask &task)
{
    // Quiz mode: as a scenario process waits at its gate before it exits, since the
    // kernel then closes its fds, which can turn another's blocked read into EOF.
    if (task.tid != task.tgid || m_shared->gateExits.load(std::memory_order_acquire) == 0
        || m_shared->mode.load(std::memory_order_acquire) == GateMode::Free)
        return false;
    unsigned long status = 0;
    ptrace(PTRACE_GETEVENTMSG, task.tid, 0, &status);
    Event gate;
    gate.kind = EventKind::GateWait;
    gate.pid = task.tgid;
    gate.pending = EventKind::Exited;
    gate.requested = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    m_exiting.insert(task.tid);
    m_held[task.tgid] = task.tid;
    report(gate);
    return true;
}

bool ExecTracer::count(const Event &e, int slot)
{
    if (const int pipe = e.inode != 0 && e.result >= 0 ? m_shared->findPipe(e.inode) : -1; pipe >= 0) {
        // The same counters as a scenario process's own calls (Tracee::read, Tracee::write).
        SharedProcess *self = slot >= 0 ? &m_shared->processes[slot] : nullptr;
        if (e.kind == EventKind::Write && e.result > 0) {
            m_shared->pipes[pipe].countWrite(e.result, true);
            if (self)
                self->bytesOut.fetch_add(e.result, std::memory_order_relaxed);
        } else if (e.kind == EventKind::Read) {
            m_shared->pipes[pipe].countRead(e.result);
            if (self && e.result > 0)
                self->bytesIn.fetch_add(e.result, std::memory_order_relaxed);
        }
    }
    // As a scenario process: every call while gated, at full speed the first few, then counters only.
    if (m_shared->mode.load(std::memory_order_relaxed) != GateMode::Free
        || (e.kind == EventKind::Read && e.result == 0))
        return true;
    int &left = m_dataEventsLeft[e.pid];
    if (left <= 0)
        return false;
    if (--left == 0) {
        Event note;
        note.kind = EventKind::Note;
        note.pid = e.pid;
        note.slot = slot;
        note.setText(Tracee::kFreeRunNote);
        m_sink(note);
    }
    return true;
}

void ExecTracer::report(Event event)
{
    const auto slot = m_slots.find(event.pid);
    event.slot = slot == m_slots.end() ? -1 : slot->second;
    if (event.inode != 0 && event.inode == m_telemetryInode)
        return;
    if (m_awaitingExec.count(event.pid) && (event.kind == EventKind::Exec || event.kind == EventKind::ExecFailed)) {
        // Its Tracee told this exec (and tells a failure) itself.
        if (event.kind == EventKind::Exec)
            m_awaitingExec.erase(event.pid);
        return;
    }
    switch (event.kind) {
    case EventKind::PipeCreated:
        if (event.inode != 0)
            m_shared->addPipe(event.inode, event.requested);
        break;
    case EventKind::Read:
    case EventKind::Write:
        if (!count(event, event.slot))
            return;
        break;
    case EventKind::Exec: event.status |= kExecStatusTraced; break;
    default: break;
    }
    m_sink(event);
    if (event.kind == EventKind::Fork && event.result > 0)
        started(static_cast<pid_t>(event.result), event.pid, std::string(event.textView()));
}

void ExecTracer::started(pid_t child, pid_t parent, const std::string &role)
{
    // A slot of its own, so its bytes in and out are counted like any scenario process's.
    const int slot = m_shared->processCount.fetch_add(1, std::memory_order_acq_rel);
    if (slot < SharedState::kMaxProcesses) {
        m_shared->processes[slot].pid.store(child, std::memory_order_release);
        m_slots[child] = slot;
    } else {
        m_slots[child] = -1;
    }
    m_dataEventsLeft[child] = Tracee::kFreeRunDataEvents;
    Event e;
    e.kind = EventKind::ProcessStarted;
    e.pid = child;
    e.slot = m_slots[child];
    e.otherPid = parent;
    e.status = kStartedNamedByProgram;
    e.setText(role);
    m_sink(e);
}

void ExecTracer::forget(pid_t tid)
{
    auto &tasks = m_tree.tasks();
    const auto it = tasks.find(tid);
    if (it == tasks.end())
        return;
    const pid_t tgid = it->second.tgid;
    tasks.erase(it);
    if (tid != tgid)
        return;
    m_tree.processes().erase(tgid);
    m_held.erase(tgid);
    m_awaitingExec.erase(tgid);
    m_exiting.erase(tid);
}

bool ExecTracer::handle(pid_t tid, int status)
{
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        // No exit stop came (SIGKILL, on a cancel): this is the tracer's notice of its end.
        const auto task = m_tree.tasks().find(tid);
        const pid_t tgid = task != m_tree.tasks().end() ? task->second.tgid : tid;
        const TracedProcess *p = tid == tgid ? findProcess(tgid) : nullptr;
        const bool leader = p != nullptr;
        const pid_t parent = p ? p->parent : 0;
        forget(tid);
        m_early.erase(tid);
        if (!leader)
            return false;
        // Still in /proc: a zombie its parent has to reap. Gone: this waitpid reaped
        // it, when the runner was its parent (its own died before it), or its parent just did.
        return !inProc(tid) && (parent == getpid() || !livesOn(parent));
    }
    if (!WIFSTOPPED(status))
        return false;
    TracedTask *task = StopDispatch::taskOf(m_tree, tid, status);
    if (!task
        || StopDispatch::dispatch(m_tree, m_stops, *this, *task, status, [this](pid_t t, int s) { handle(t, s); }))
        return false;
    // Its exit stop.
    if (holdExit(*task))
        return false;
    // Let go: its end is the runner's to see (pidfd) and its parent's to reap, untraced.
    ptrace(PTRACE_DETACH, tid, 0, 0);
    forget(tid);
    return false;
}

} // namespace pipescope
