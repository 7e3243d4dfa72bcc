#include "core/trace/syscallstops.h"

#include "core/trace/syscalldecoder.h"
#include "core/trace/taskprobe.h"

#include <sys/ptrace.h>
#include <sys/syscall.h>

#include <ctime>

namespace pipescope
{

namespace
{

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

} // namespace

void SyscallStops::lookForBlocked(std::map<pid_t, TracedTask> &tasks)
{
    const std::int64_t now = nowNs();
    if (now - m_lastLookNs < std::int64_t {kLookMs} * 1000000)
        return;
    m_lastLookNs = now;
    for (auto &[tid, task] : tasks) {
        const EventKind kind = task.call.produces;
        if (!task.inCall || !task.wantExit || task.blocked || now - task.call.startNs < std::int64_t {kLookMs} * 1000000
            || (kind != EventKind::Read && kind != EventKind::Write && kind != EventKind::Select
                && kind != EventKind::Wait))
            continue;
        if (auto e = TaskProbe::blocked(tid, task.tgid, task.call)) {
            task.blocked = true;
            m_host.report(*e);
        }
    }
}

void SyscallStops::onSeccomp(TracedTask &task)
{
    __ptrace_syscall_info info {};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, task.tid, sizeof info, &info) <= 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
        m_host.resume(task);
        return;
    }
    onEntry(task, static_cast<int>(info.seccomp.nr), reinterpret_cast<const std::uint64_t *>(info.seccomp.args));
}

void SyscallStops::onSyscallStop(TracedTask &task)
{
    __ptrace_syscall_info info {};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, task.tid, sizeof info, &info) <= 0) {
        task.inCall = false;
        m_host.resume(task);
        return;
    }
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
        const auto nr = static_cast<std::size_t>(info.entry.nr);
        task.inCall = false;
        if (nr < m_traced.size() && m_traced[nr])
            onEntry(task, static_cast<int>(nr), reinterpret_cast<const std::uint64_t *>(info.entry.args));
        else
            m_host.resume(task); // a call PipeScope does not look at: its exit stop is passed over too
        return;
    }
    const bool exit = info.op == PTRACE_SYSCALL_INFO_EXIT && task.inCall && task.wantExit;
    if (!exit) {
        task.inCall = false;
        m_host.resume(task);
        return;
    }
    onExit(task, info.exit.rval);
}

std::optional<Event> SyscallStops::preview(TracedTask &task, bool seccomp)
{
    __ptrace_syscall_info info {};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, task.tid, sizeof info, &info) <= 0)
        return std::nullopt;
    TracedCall call;
    const std::uint64_t *args = nullptr;
    if (seccomp && info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
        call.nr = static_cast<int>(info.seccomp.nr);
        args = reinterpret_cast<const std::uint64_t *>(info.seccomp.args);
    } else if (!seccomp && info.op == PTRACE_SYSCALL_INFO_ENTRY && info.entry.nr < m_traced.size()
        && m_traced[info.entry.nr]) {
        call.nr = static_cast<int>(info.entry.nr);
        args = reinterpret_cast<const std::uint64_t *>(info.entry.args);
    } else {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < 6; ++i)
        call.args[i] = args[i];
    // On a copy of the fd table: the call itself is decoded again when its stop is handled.
    FdTable fds = m_host.process(task.tgid).fds;
    SyscallDecoder::enter(task.tid, task.tgid, fds, call);
    if (call.produces == EventKind::Count_)
        return std::nullopt;
    Event gate;
    gate.kind = EventKind::GateWait;
    gate.pid = task.tgid;
    gate.pending = call.produces;
    gate.fd = call.fd;
    gate.startNs = nowNs();
    return gate;
}

void SyscallStops::onEntry(TracedTask &task, int nr, const std::uint64_t *args)
{
    task.call = TracedCall {};
    task.call.nr = nr;
    for (std::size_t i = 0; i < 6; ++i)
        task.call.args[i] = args[i];
    task.call.startNs = nowNs();
    TracedProcess &process = m_host.process(task.tgid);
    task.wantExit = SyscallDecoder::enter(task.tid, task.tgid, process.fds, task.call);
    task.inCall = true;
    if (task.call.produces != EventKind::Exec && task.call.produces != EventKind::Count_)
        m_host.flushFailedExec(process);
    if (task.call.produces != EventKind::Count_ && m_host.hold(task))
        return;
    m_host.resume(task);
}

void SyscallStops::onExit(TracedTask &task, std::int64_t rval)
{
    task.inCall = false;
    TracedProcess &process = m_host.process(task.tgid);
    if (task.blocked) {
        task.blocked = false;
        Event woken;
        woken.kind = EventKind::Woken;
        woken.pid = task.tgid;
        woken.setText("running");
        m_host.report(woken);
    }
    std::vector<Event> events;
    SyscallDecoder::exit(task.tid, task.tgid, process.fds, task.call, rval, &events);
    for (Event &e : events) {
        if (e.kind == EventKind::ExecFailed) {
            process.failedExec = e;
            continue;
        }
        if (e.kind == EventKind::Wait) {
            if (TracedProcess *child = m_host.findProcess(e.otherPid)) {
                if (task.call.args[1] == 0 && task.call.nr == SYS_wait4)
                    e.status = child->status; // waited without asking for the status
                child->reaped = true;
                if (m_ledger)
                    m_ledger->reaped(task.tgid, e.otherPid);
            }
        }
        m_host.report(e);
    }
    if (m_ledger)
        m_ledger->look(task.tgid, process.fds);
    m_host.resume(task);
}

} // namespace pipescope
