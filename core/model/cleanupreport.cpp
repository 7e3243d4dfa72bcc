#include "core/model/cleanupreport.h"

#include "core/model/eventformat.h"

#include <sys/wait.h>

#include <algorithm>
#include <utility>
#include <vector>

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

ChannelKind CleanupReport::kindOf(std::uint64_t inode) const
{
    const PipeInfo *p = m_state.pipe(inode);
    return p ? p->kind : ChannelKind::Pipe;
}

std::string CleanupReport::endNoun(unsigned kinds)
{
    static constexpr std::pair<ChannelKind, const char *> kNames[]
        = {{ChannelKind::Pipe, "pipe"}, {ChannelKind::Fifo, "FIFO"}, {ChannelKind::Socket, "socket"}};
    std::vector<std::string> names;
    for (const auto &[kind, name] : kNames)
        if (kinds & (1u << static_cast<unsigned>(kind)))
            names.emplace_back(name);
    if (names.empty())
        return "pipe end";
    std::string out = names.front();
    for (std::size_t i = 1; i < names.size(); ++i)
        out += (i + 1 == names.size() ? " and " : ", ") + names[i];
    return out + " end";
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
                p.leftToKernel.push_back({fd, end, kindOf(end.inode)});
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
            // What it holds now, so that its line names its ends for what they are.
            for (const auto &kv : p->fds)
                mine.kinds |= 1u << static_cast<unsigned>(kindOf(kv.second.inode));
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
    std::string out = "closed " + std::to_string(p.closedItself) + " " + endNoun(p.kinds)
        + (p.closedItself == 1 ? "" : "s") + " itself";
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
            + (l.end.socket ? " (socket:[" + std::to_string(l.end.inode) + "])"
                            : std::string(l.kind == ChannelKind::Fifo ? " (fifo:[" : " (pipe:[")
                        + std::to_string(l.end.inode) + "] " + (l.end.writeEnd ? "write" : "read") + " end)");
    return out;
}

unsigned CleanupReport::endKinds() const
{
    unsigned kinds = 0;
    for (const PipeInfo &p : m_state.pipes())
        kinds |= 1u << static_cast<unsigned>(p.kind);
    return kinds;
}

std::string CleanupReport::text() const
{
    const unsigned kinds = endKinds();
    const std::string ends = endNoun(kinds) + "s";
    std::string out = "clean-up (" + ends + " above fd 2; the kernel closes whatever a process still holds at exit):\n";
    for (Process p : m_processes) {
        if (p.role.empty() && p.closedItself == 0 && p.leftToKernel.empty())
            continue; // the runner's own notes
        if (p.kinds == 0)
            p.kinds = kinds; // held no end: "closed 0" of what the run had
        out += "  " + std::to_string(p.pid) + " " + (p.role.empty() ? std::string("process") : p.role) + ": " + line(p)
            + "\n";
    }
    if (anythingLeft())
        out += "(a correct program closes every " + endNoun(kinds)
            + " it no longer needs before it exits: a reader waiting for EOF, or a writer waiting for a reader to go, "
              "waits for the last holder's exit)\n";
    return out;
}

} // namespace pipescope
