#include "core/run/processtable.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace pipescope
{

ProcessTable::~ProcessTable()
{
    for (auto &[pid, t] : m_processes)
        closePidfd(t);
}

TrackedProcess &ProcessTable::track(pid_t pid, int slot, const std::string &role)
{
    auto [it, inserted] = m_processes.try_emplace(pid);
    TrackedProcess &t = it->second;
    if (inserted) {
        t.pid = pid;
        t.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        t.exited = t.pidfd < 0; // ESRCH: it has already exited and been reaped
    }
    if (slot >= 0)
        t.slot = slot;
    if (!role.empty())
        t.role = role;
    return t;
}

std::vector<std::pair<pid_t, int>> ProcessTable::pidfdsToWatch() const
{
    std::vector<std::pair<pid_t, int>> out;
    for (const auto &[pid, t] : m_processes) {
        if (t.pidfd >= 0 && !t.exited)
            out.emplace_back(pid, t.pidfd);
    }
    return out;
}

int ProcessTable::liveCount() const
{
    return static_cast<int>(
        std::count_if(m_processes.begin(), m_processes.end(), [](const auto &kv) { return kv.second.live(); }));
}

void ProcessTable::killAll()
{
    for (auto &[pid, t] : m_processes) {
        if (t.pidfd >= 0)
            syscall(SYS_pidfd_send_signal, t.pidfd, SIGKILL, nullptr, 0);
    }
}

void ProcessTable::closePidfd(TrackedProcess &t)
{
    if (t.pidfd >= 0)
        close(t.pidfd);
    t.pidfd = -1;
}

void ProcessTable::exitEvent(TrackedProcess &t, int status, std::vector<Event> *out)
{
    t.exited = true;
    if (t.exitReported)
        return;
    t.exitReported = true;
    t.status = status;
    Event e;
    e.kind = EventKind::Exited;
    e.pid = t.pid;
    e.slot = t.slot;
    e.status = status;
    e.setText(t.role);
    out->push_back(e);
}

void ProcessTable::reapEvent(TrackedProcess &t, int status, pid_t reaper, std::vector<Event> *out)
{
    if (t.reaped)
        return;
    exitEvent(t, status, out);
    t.reaped = true;
    Event e;
    e.kind = EventKind::Reaped;
    e.pid = t.pid;
    e.otherPid = reaper;
    e.slot = t.slot;
    e.status = t.status;
    e.setText(t.role);
    out->push_back(e);
}

std::vector<Event> ProcessTable::pidfdReadable(pid_t pid, bool cancelled)
{
    std::vector<Event> out;
    const auto it = m_processes.find(pid);
    if (it == m_processes.end())
        return out;
    TrackedProcess &t = it->second;
    closePidfd(t);
    t.exited = true;
    if (t.exitReported)
        return out;
    // A zombie's wait status is in /proc/PID/stat until its parent reaps it; if
    // the parent was quicker, its own wait event carries the status instead.
    const auto probe = ProcProbe::probe(t.pid);
    if (probe && probe->zombie())
        exitEvent(t, probe->exitCode, &out);
    else if (!probe && cancelled)
        // Its parent, killed inside waitpid, reaped it on the way out and will
        // never report it: say so, or it would look alive for ever. It died of our SIGKILL.
        reapEvent(t, SIGKILL, t.parent, &out);
    return out;
}

std::vector<Event> ProcessTable::collectedByParent(pid_t pid, int status)
{
    std::vector<Event> out;
    const auto it = m_processes.find(pid);
    if (it == m_processes.end())
        return out;
    TrackedProcess &t = it->second;
    closePidfd(t);
    exitEvent(t, status, &out); // it exited before its parent says it reaped it
    t.reaped = true; // the parent's Wait event says so
    return out;
}

std::vector<Event> ProcessTable::reapedBy(pid_t pid, int status, pid_t reaper)
{
    std::vector<Event> out;
    // No pidfd for it: it is gone already, and its pid may be taken by another process.
    auto [it, inserted] = m_processes.try_emplace(pid);
    TrackedProcess &t = it->second;
    t.pid = pid;
    closePidfd(t);
    reapEvent(t, status, reaper, &out);
    return out;
}

std::vector<Event> ProcessTable::sweep(bool cancelled)
{
    std::vector<Event> out;
    for (auto &[pid, t] : m_processes) {
        closePidfd(t);
        if (!t.reaped)
            reapEvent(t, t.exitReported ? t.status : (cancelled ? SIGKILL : 0), t.parent, &out);
    }
    return out;
}

} // namespace pipescope
