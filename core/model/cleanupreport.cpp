#include "core/model/cleanupreport.h"

#include "core/model/eventformat.h"

#include <sys/wait.h>

#include <algorithm>

namespace pipescope
{

CleanupReport::Process &CleanupReport::entry(pid_t pid)
{
    const auto it
        = std::find_if(m_processes.begin(), m_processes.end(), [&](const Process &p) { return p.pid == pid; });
    if (it != m_processes.end())
        return *it;
    Process p;
    p.pid = pid;
    m_processes.push_back(p);
    return m_processes.back();
}

void CleanupReport::add(const Event &e)
{
    // What the process held before this event changes it.
    const ProcessInfo *before = m_state.process(e.kind == EventKind::Wait ? e.otherPid : e.pid);
    const auto holdsPipe = [&](int fd) { return before && before->fds.count(fd) > 0; };
    m_observed = m_observed || e.kind == EventKind::PipeCreated || e.kind == EventKind::Close
        || e.kind == EventKind::Open || e.kind == EventKind::SocketPair;
    switch (e.kind) {
    case EventKind::Close:
        // An exec's close of an end whose close-on-exec flag the events never showed (fcntl F_SETFD).
        if (e.result == 0 && e.err == 0 && holdsPipe(e.fd))
            ++(e.textView() == kClosedByExec ? entry(e.pid).closedAtExec : entry(e.pid).closedItself);
        break;
    case EventKind::Dup2:
        // dup2(fd2 -> fd) closes what fd held first, quietly: the process chose to.
        if (e.result >= 0 && e.fd2 != e.fd && holdsPipe(e.fd))
            ++entry(e.pid).closedItself;
        break;
    case EventKind::Exec:
        if (before)
            entry(e.pid).closedAtExec += static_cast<int>(std::count_if(
                before->fds.begin(), before->fds.end(), [](const auto &kv) { return kv.second.closeOnExec; }));
        break;
    case EventKind::Exited:
    case EventKind::Reaped:
    case EventKind::Wait: {
        const pid_t target = e.kind == EventKind::Wait ? e.otherPid : e.pid;
        if (target <= 0 || !before || before->state == ProcessState::Exited || before->state == ProcessState::Reaped)
            break;
        Process &p = entry(target);
        p.exited = true;
        p.status = e.status;
        for (const auto &[fd, end] : before->fds)
            if (fd > 2)
                p.leftToKernel.push_back({fd, end});
        break;
    }
    default: break;
    }
    m_state.apply(e);
    if (e.pid > 0)
        if (const ProcessInfo *p = m_state.process(e.pid)) {
            Process &mine = entry(e.pid);
            if (mine.role.empty() || e.kind == EventKind::ProcessStarted || e.kind == EventKind::Fork)
                mine.role = p->role;
            mine.unobserved = mine.unobserved || p->external;
        }
}

void CleanupReport::setRole(pid_t pid, const std::string &role)
{
    if (pid > 0 && !role.empty())
        if (const auto it
            = std::find_if(m_processes.begin(), m_processes.end(), [&](const Process &p) { return p.pid == pid; });
            it != m_processes.end())
            it->role = role;
}

bool CleanupReport::anythingLeft() const
{
    // An untraced program's own closes were not seen: what it held at exit proves nothing.
    return std::any_of(m_processes.begin(), m_processes.end(),
        [](const Process &p) { return !p.unobserved && !p.leftToKernel.empty(); });
}

std::string CleanupReport::line(const Process &p)
{
    std::string out
        = "closed " + std::to_string(p.closedItself) + " pipe end" + (p.closedItself == 1 ? "" : "s") + " itself";
    if (p.closedAtExec > 0)
        out += ", " + std::to_string(p.closedAtExec) + " at exec (close-on-exec)";
    if (p.unobserved)
        return out + "; then ran an untraced program, whose closes were not seen";
    if (!p.exited)
        return out + "; still running";
    if (p.leftToKernel.empty())
        return out + "; left none to the kernel";
    // Killed (the watchdog's SIGKILL, say): it never had the chance a clean exit gives.
    out += WIFSIGNALED(p.status)
        ? "; killed by " + EventFormat::waitStatus(p.status).substr(10) + ", it left to the kernel:"
        : "; left to the kernel at exit:";
    for (const LeftEnd &l : p.leftToKernel)
        out += " fd " + std::to_string(l.fd)
            + (l.end.socket
                    ? " (socket:[" + std::to_string(l.end.inode) + "])"
                    : " (pipe:[" + std::to_string(l.end.inode) + "] " + (l.end.writeEnd ? "write" : "read") + " end)");
    return out;
}

std::string CleanupReport::text() const
{
    std::string out = "clean-up (pipe ends above fd 2; the kernel closes whatever a process still holds at exit):\n";
    for (const Process &p : m_processes) {
        if (p.role.empty() && p.closedItself == 0 && p.leftToKernel.empty())
            continue; // the runner's own notes
        out += "  " + std::to_string(p.pid) + " " + (p.role.empty() ? std::string("process") : p.role) + ": " + line(p)
            + "\n";
    }
    if (anythingLeft())
        out += "(a correct program closes every pipe end it no longer needs before it exits: a reader waiting for "
               "EOF, or a writer waiting for a reader to go, waits for the last holder's exit)\n";
    return out;
}

} // namespace pipescope
