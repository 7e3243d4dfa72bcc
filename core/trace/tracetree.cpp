#include "core/trace/tracetree.h"

#include "core/model/cleanupreport.h"
#include "core/trace/taskprobe.h"
#include "core/watch/procreader.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sys/ptrace.h>

namespace pipescope
{

std::string TraceTree::baseName(const std::string &text)
{
    const std::string first = text.substr(0, text.find(' '));
    const auto slash = first.rfind('/');
    return slash == std::string::npos ? first : first.substr(slash + 1);
}

std::vector<Event> TraceTree::inheritedEnds(pid_t pid, const FdTable &fds)
{
    std::vector<Event> out;
    for (const auto &[fd, target] : fds.entries()) {
        // Its stdin, stdout and stderr only: the pipeline it is a stage of. A pipe at a
        // higher fd is most often a leak of whoever started it (a test runner's, a
        // terminal job's), held by PipeScope too, and would crowd the stage.
        if (!target.isPipe() || fd > 2)
            continue;
        const long flags = ProcReader::fdFlags(pid, fd);
        if (flags < 0)
            continue;
        Event e;
        e.kind = EventKind::PipeCreated;
        e.pid = pid;
        e.inode = target.inode;
        ((flags & O_ACCMODE) == O_WRONLY ? e.fd2 : e.fd) = fd;
        e.status = static_cast<int>(flags & (O_CLOEXEC | O_NONBLOCK));
        e.requested = FdTable::pipeCapacity(pid, fd);
        e.setText("inherited");
        out.push_back(e);
    }
    return out;
}

void TraceTree::report(EventKind kind, pid_t pid, pid_t other, std::string_view text, int status)
{
    Event e;
    e.kind = kind;
    e.pid = pid;
    e.otherPid = other;
    e.status = status;
    e.setText(text);
    m_report(e);
}

TracedProcess &TraceTree::addProcess(pid_t pid, pid_t parent, const std::string &role)
{
    TracedProcess &p = m_processes[pid];
    p.pid = pid;
    p.parent = parent;
    p.role = role;
    return p;
}

void TraceTree::addTask(pid_t tid, pid_t tgid)
{
    TracedTask task;
    task.tid = tid;
    task.tgid = tgid;
    m_tasks[tid] = task;
}

void TraceTree::flushFailedExec(TracedProcess &process)
{
    if (process.failedExec) {
        m_report(*process.failedExec);
        process.failedExec.reset();
    }
}

void TraceTree::adopt(pid_t child, pid_t parentPid, bool thread, std::int64_t startNs)
{
    addTask(child, thread ? parentPid : child);
    if (thread)
        return;
    TracedProcess &parent = m_processes[parentPid];
    flushFailedExec(parent);
    const std::string role = parent.role;
    const FdTable fds = parent.fds;
    TracedProcess &p = addProcess(child, parentPid, role);
    p.fds = fds; // a fork copies the fd table
    if (m_ledger)
        m_ledger->forked(child, parentPid);
    Event e;
    e.kind = EventKind::Fork;
    e.pid = parentPid;
    e.otherPid = child;
    e.setText(role);
    e.result = child;
    e.startNs = startNs;
    m_report(e);
}

bool TraceTree::adoptUnknown(pid_t tid)
{
    const auto [tgid, parent] = TaskProbe::ids(tid);
    if (tgid != tid && m_processes.count(tgid))
        adopt(tid, tgid, true, 0);
    else if (tgid == tid && m_processes.count(parent))
        adopt(tid, parent, false, 0); // the fork call's start is the parent's to tell
    return m_tasks.count(tid) != 0;
}

std::optional<std::pair<pid_t, int>> TraceTree::onFork(TracedTask &task, int event)
{
    unsigned long message = 0;
    ptrace(PTRACE_GETEVENTMSG, task.tid, 0, &message);
    const auto child = static_cast<pid_t>(message);
    if (!m_tasks.count(child)) // not adopted yet at its own first stop
        adopt(
            child, task.tgid, event == PTRACE_EVENT_CLONE && (task.call.cloneFlags & CLONE_THREAD), task.call.startNs);
    const auto early = m_early.find(child);
    if (early == m_early.end())
        return std::nullopt;
    const int status = early->second;
    m_early.erase(early);
    return std::make_pair(child, status);
}

void TraceTree::onExec(TracedTask &task)
{
    unsigned long former = 0;
    ptrace(PTRACE_GETEVENTMSG, task.tid, 0, &former);
    // A thread that is not the leader exec'd: it takes over the leader's id.
    if (static_cast<pid_t>(former) != task.tid) {
        if (const auto it = m_tasks.find(static_cast<pid_t>(former)); it != m_tasks.end()) {
            TracedTask moved = it->second;
            m_tasks.erase(it);
            moved.tid = task.tid;
            task = moved;
        }
    }
    TracedProcess &process = m_processes[task.tgid];
    process.failedExec.reset(); // the PATH search got there in the end
    const FdTable before = process.fds;
    process.fds.reload(task.tgid);
    Event e;
    e.kind = EventKind::Exec;
    e.pid = task.tgid;
    e.startNs = task.call.startNs;
    e.setText(task.call.produces == EventKind::Exec ? std::string(task.call.event.textView()) : process.role);
    process.role = baseName(std::string(e.textView()));
    m_report(e);
    // The kernel closed these at the exec (close-on-exec): said after the Exec, so
    // that a view that knew the flag has dropped them already.
    for (const auto &[fd, target] : process.fds.droppedPipes(before)) {
        Event closed;
        closed.kind = EventKind::Close;
        closed.pid = task.tgid;
        closed.fd = fd;
        closed.inode = target.inode;
        closed.startNs = e.startNs;
        closed.setText(CleanupReport::kClosedByExec);
        m_report(closed);
    }
    if (m_ledger)
        m_ledger->look(task.tgid, process.fds); // close-on-exec ends end their holding here
    task.inCall = false; // a successful exec has no exit stop worth taking
}

void TraceTree::onExit(pid_t tid, int status)
{
    const auto taskIt = m_tasks.find(tid);
    const pid_t tgid = taskIt != m_tasks.end() ? taskIt->second.tgid : tid;
    if (taskIt != m_tasks.end())
        m_tasks.erase(taskIt);
    if (tid != tgid)
        return; // a thread ended; its process goes on
    const auto it = m_processes.find(tgid);
    if (it == m_processes.end()) {
        m_early[tid] = status; // dead before its parent's fork event came
        return;
    }
    TracedProcess &p = it->second;
    if (tgid == m_root)
        m_rootStatus = status;
    if (!p.exited) {
        flushFailedExec(p);
        p.exited = true;
        p.status = status;
        report(EventKind::Exited, tgid, 0, p.role, status);
        if (m_attach)
            return; // its own parent reaps it (a traced parent's wait is a Wait event)
        // We are its real parent when we started it, or when its parent has
        // died and the orphan came to us (we are the subreaper); then this
        // waitpid reaped it. Otherwise its parent still has to.
        const auto parent = m_processes.find(p.parent);
        if (p.parent != m_self && parent != m_processes.end() && !parent->second.exited)
            return;
    } else if (p.reaped) {
        return;
    }
    p.reaped = true;
    report(EventKind::Reaped, tgid, m_self, p.role, p.status);
}

void TraceTree::reapTheRest()
{
    // A process whose exit we saw but whose reaping we missed (its parent died
    // in the same moment and the zombie came to us): it is gone now.
    for (auto &[pid, p] : m_processes) {
        flushFailedExec(p);
        if (!p.reaped) {
            report(EventKind::Reaped, pid, m_self, {}, p.status);
            p.reaped = true;
        }
    }
}

} // namespace pipescope
