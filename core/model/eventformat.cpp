#include "core/model/eventformat.h"

#include "core/model/paramspec.h"
#include "core/model/runstate.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace pipescope
{

std::string EventFormat::errnoName(int err)
{
    switch (err) {
    case 0: return "0";
    case EAGAIN: return "EAGAIN";
    case EPIPE: return "EPIPE";
    case EBADF: return "EBADF";
    case EINTR: return "EINTR";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ECHILD: return "ECHILD";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EBUSY: return "EBUSY";
    case EMFILE: return "EMFILE";
    default: return "errno " + std::to_string(err);
    }
}

std::string EventFormat::waitStatus(int status)
{
    // -1: the process ended but nobody here learnt how (a watched stage its shell reaped).
    if (status == -1)
        return "exit status not seen";
    if (WIFEXITED(status))
        return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(status));
        return std::string("killed by SIG") + (abbrev ? abbrev : std::to_string(WTERMSIG(status)).c_str());
    }
    return "status " + std::to_string(status);
}

std::string EventFormat::fdSet(const Event &event, bool ready)
{
    std::string out = "[";
    for (int fd = 0; fd < Event::kMaxFd; ++fd) {
        if (Event::bit(ready ? event.ready : event.watched, fd))
            out += (out.size() > 1 ? " " : "") + std::to_string(fd);
    }
    return out + "]";
}

namespace
{

std::string result(const Event &e)
{
    if (e.err != 0)
        return "-1 " + EventFormat::errnoName(e.err) + " (" + std::strerror(e.err) + ")";
    return std::to_string(e.result);
}

std::string pipeFlags(int flags)
{
    std::string out;
    if (flags & O_CLOEXEC)
        out += "O_CLOEXEC";
    if (flags & O_NONBLOCK)
        out += std::string(out.empty() ? "" : "|") + "O_NONBLOCK";
    return out.empty() ? "0" : out;
}

std::string openFlags(int flags)
{
    const int mode = flags & O_ACCMODE;
    std::string out = mode == O_WRONLY ? "O_WRONLY" : mode == O_RDWR ? "O_RDWR" : "O_RDONLY";
    if (flags & O_NONBLOCK)
        out += "|O_NONBLOCK";
    if (flags & O_CLOEXEC)
        out += "|O_CLOEXEC";
    return out;
}

std::string socketType(int type)
{
    std::string out = (type & 0xf) == SOCK_DGRAM ? "SOCK_DGRAM"
        : (type & 0xf) == SOCK_SEQPACKET         ? "SOCK_SEQPACKET"
                                                 : "SOCK_STREAM";
    if (type & SOCK_NONBLOCK)
        out += "|SOCK_NONBLOCK";
    if (type & SOCK_CLOEXEC)
        out += "|SOCK_CLOEXEC";
    return out;
}

std::string octal(std::int64_t mode)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0%llo", static_cast<unsigned long long>(mode));
    return buf;
}

} // namespace

ChannelKind EventFormat::channelOf(const Event &e, const RunState &state)
{
    const PipeInfo *p = e.inode ? state.pipe(e.inode) : nullptr;
    return p ? p->kind : ChannelKind::Pipe;
}

std::string EventFormat::call(const Event &e, ChannelKind channel)
{
    const bool socket = channel == ChannelKind::Socket;
    const std::string fd = std::to_string(e.fd);
    const std::string text(e.textView());
    switch (e.kind) {
    case EventKind::RunStarted:
        return "run " + text + " (runner " + std::to_string(e.pid) + ", scenario group " + std::to_string(e.otherPid)
            + ")";
    case EventKind::ProcessStarted: return "started as '" + text + "' (parent " + std::to_string(e.otherPid) + ")";
    case EventKind::PipeCreated:
        if (e.err)
            return "pipe2(" + pipeFlags(e.status) + ") = " + result(e);
        if (e.fd < 0 || e.fd2 < 0) // one end of a pipe made before the trace: no pipe2 was seen
            return text + " pipe:[" + std::to_string(e.inode) + "] " + (e.fd >= 0 ? "read" : "write") + " end at fd "
                + std::to_string(e.fd >= 0 ? e.fd : e.fd2) + ", holds " + formatSize(e.requested);
        return "pipe2([" + fd + ", " + std::to_string(e.fd2) + "], " + pipeFlags(e.status) + ") = 0  pipe:["
            + std::to_string(e.inode) + "] holds " + formatSize(e.requested) + (text.empty() ? "" : "  (" + text + ")");
    case EventKind::SetPipeSize:
        return "fcntl(" + fd + ", F_SETPIPE_SZ, " + std::to_string(e.requested) + ") = " + result(e);
    case EventKind::Fork: return "fork() = " + result(e) + (e.err ? "" : "  child '" + text + "'");
    case EventKind::Exec: return "execvp(\"" + text + "\")";
    case EventKind::ExecFailed: return "execvp(\"" + text + "\") = " + result(e);
    case EventKind::Dup2: return "dup2(" + std::to_string(e.fd2) + ", " + fd + ") = " + result(e);
    case EventKind::Close: return "close(" + fd + ") = " + result(e) + (text.empty() ? "" : "  " + text);
    case EventKind::Write: {
        std::string s = "write(" + fd + ", \"" + text + "\"" + (e.requested > 40 ? "..." : "") + ", "
            + std::to_string(e.requested) + ") = " + result(e);
        if (e.isWouldBlock())
            s += "  would block";
        if (e.isBrokenPipe())
            s += socket ? "  broken pipe: the peer socket is closed" : "  broken pipe: no reader left";
        return s;
    }
    case EventKind::Read: {
        std::string s = "read(" + fd + ", "
            + (e.result > 0 ? "\"" + text + "\"" + (e.result > 40 ? "..." : "") : std::string("...")) + ", "
            + std::to_string(e.requested) + ") = " + result(e);
        // A socket's peer is one end, however many fds share it: its EOF comes when every fd of
        // that end is closed, or when the peer shut down its writing (shutdown SHUT_WR).
        if (e.isEof())
            s += socket ? "  EOF: the peer socket was closed (or shut down writing)"
                        : "  EOF: every write end is closed";
        if (e.isWouldBlock())
            s += socket ? "  would block: nothing received" : "  would block: pipe empty";
        return s;
    }
    case EventKind::Select:
        return "select(watch " + fdSet(e, false) + ", timeout " + std::to_string(e.requested) + " ms) = " + result(e)
            + "  ready " + fdSet(e, true);
    case EventKind::Sleep: return "nanosleep(" + std::to_string(e.requested) + " ms) = 0";
    case EventKind::Wait:
        return "waitpid(" + std::to_string(e.requested) + ") = " + result(e)
            + (e.err ? "" : "  " + waitStatus(e.status));
    case EventKind::GateWait:
        return std::string("held at gate before ") + eventKindName(e.pending)
            + (e.fd >= 0 ? "(" + fd + ")" : std::string());
    case EventKind::Blocked:
        if (e.result >= 0)
            return text + " (FIONREAD: " + std::to_string(e.result) + " bytes in pipe:[" + std::to_string(e.inode)
                + "])";
        return text;
    case EventKind::Woken: return "running again";
    case EventKind::Exited: return "exited: " + waitStatus(e.status) + " (zombie until its parent waits)";
    case EventKind::Reaped: return "reaped by " + std::to_string(e.otherPid) + ": " + waitStatus(e.status);
    case EventKind::Note: return "note: " + text;
    case EventKind::Watchdog: return "WATCHDOG after " + std::to_string(e.requested) + " ms without progress: " + text;
    case EventKind::RunFinished: return "run finished: " + text;
    case EventKind::Mkfifo:
        return "mkfifo(\"" + text + "\", " + octal(e.requested) + ") = " + result(e)
            + (e.err ? "" : "  a named pipe, fifo inode " + std::to_string(e.inode));
    case EventKind::Open:
        return "open(\"" + text + "\", " + openFlags(e.status) + ") = " + result(e)
            + (e.err || !e.inode ? "" : "  fifo:[" + std::to_string(e.inode) + "] by name");
    case EventKind::SocketPair:
        if (e.err)
            return "socketpair(AF_UNIX, " + socketType(e.status) + ") = " + result(e);
        return "socketpair(AF_UNIX, " + socketType(e.status) + ", 0, [" + fd + ", " + std::to_string(e.fd2)
            + "]) = 0  socket:[" + std::to_string(e.inode) + "] <-> socket:[" + std::to_string(e.inode2)
            + "]: one connection, both ends read and write";
    case EventKind::Count_: break;
    }
    return "?";
}

std::string EventFormat::line(const Event &e, std::int64_t startNs, const std::string &role, ChannelKind channel)
{
    char prefix[64];
    const double seconds = startNs > 0 ? static_cast<double>(e.timeNs - startNs) / 1e9 : 0.0;
    std::snprintf(prefix, sizeof prefix, "[%10.6f] %7d %-10s ", seconds, e.pid, role.c_str());
    return prefix + call(e, channel);
}

std::string EventFormat::socketSummary(const RunState &state)
{
    std::string out;
    char row[256];
    for (const PipeInfo &p : state.pipes()) {
        if (!p.isSocket())
            continue;
        if (out.empty()) {
            out = "socket pairs (one connection: both ends read and write, a count per direction):\n";
            std::snprintf(row, sizeof row, "  %-34s %12s %12s %s\n", "direction", "written", "read", "eof");
            out += row;
        }
        const std::string a = "socket:[" + std::to_string(p.inode) + "]";
        const std::string b = "socket:[" + std::to_string(p.inode2) + "]";
        std::snprintf(row, sizeof row, "  %-34s %12lld %12lld %s\n", (a + " -> " + b).c_str(),
            static_cast<long long>(p.written), static_cast<long long>(p.read), p.eofSeen ? "yes" : "no");
        out += row;
        std::snprintf(row, sizeof row, "  %-34s %12lld %12lld %s\n", (b + " -> " + a).c_str(),
            static_cast<long long>(p.written2), static_cast<long long>(p.read2), p.eofSeen2 ? "yes" : "no");
        out += row;
    }
    return out;
}

std::string EventFormat::summary(const RunState &state)
{
    std::string out;
    char row[256];
    // A run of socket pairs alone has no pipe table to show.
    const bool onlySockets = !state.pipes().empty()
        && std::all_of(state.pipes().begin(), state.pipes().end(), [](const PipeInfo &p) { return p.isSocket(); });
    if (!onlySockets) {
        out = "pipes:\n";
        std::snprintf(row, sizeof row, "  %-14s %12s %12s %10s %10s %s\n", "pipe", "written", "read", "max-fill",
            "capacity", "eof");
        out += row;
    }
    for (const PipeInfo &p : state.pipes()) {
        if (p.isSocket())
            continue; // below, one row per direction
        std::snprintf(row, sizeof row,
            p.kind == ChannelKind::Fifo ? "  fifo:[%-7llu] %12lld %12lld %10lld %10lld %s\n"
                                        : "  pipe:[%-7llu] %12lld %12lld %10lld %10lld %s\n",
            static_cast<unsigned long long>(p.inode), static_cast<long long>(p.written), static_cast<long long>(p.read),
            static_cast<long long>(p.maxFill), static_cast<long long>(p.capacity), p.eofSeen ? "yes" : "no");
        out += row;
    }
    for (const PipeInfo &p : state.pipes()) {
        if (p.kind == ChannelKind::Fifo && !p.path.empty())
            out += "  (fifo:[" + std::to_string(p.inode) + "] is the named pipe " + p.path + ")\n";
    }
    out += socketSummary(state);
    out += "processes:\n";
    for (const ProcessInfo &p : state.processes()) {
        std::snprintf(row, sizeof row, "  %7d %-12s in %10lld  out %10lld  %s\n", p.pid, p.role.c_str(),
            static_cast<long long>(p.bytesIn), static_cast<long long>(p.bytesOut),
            p.state == ProcessState::Reaped || p.state == ProcessState::Exited ? waitStatus(p.status).c_str()
                                                                               : processStateName(p.state));
        out += row;
    }
    out += "(max-fill: most bytes seen in the pipe: written minus read after each logged write, sampled every "
           "probe, and FIONREAD when a writer was seen blocked)\n";
    for (const PipeInfo &p : state.pipes()) {
        if (p.externalReader || p.externalWriter)
            out += "(pipe:[" + std::to_string(p.inode) + "] has an end in an exec'd program, which runs free: its "
                + (p.externalReader ? "reads" : "writes") + " are not counted)\n";
    }
    return out;
}

} // namespace pipescope
