#include "core/trace/syscalldecoder.h"

#include "core/trace/fifocalls.h"
#include "core/trace/tracememory.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>

namespace pipescope
{

namespace
{

constexpr std::size_t kPreview = 40;
constexpr int kMaxIov = 64;
constexpr int kMaxPoll = 256;

int asFd(std::uint64_t arg)
{
    return static_cast<int>(static_cast<std::int32_t>(arg));
}

bool isSelect(int nr)
{
#ifdef SYS_select
    if (nr == SYS_select)
        return true;
#endif
    return nr == SYS_pselect6;
}

bool isPoll(int nr)
{
#ifdef SYS_poll
    if (nr == SYS_poll)
        return true;
#endif
    return nr == SYS_ppoll;
}

bool isPipeCall(int nr)
{
#ifdef SYS_pipe
    if (nr == SYS_pipe)
        return true;
#endif
    return nr == SYS_pipe2;
}

bool isFork(int nr)
{
#ifdef SYS_fork
    if (nr == SYS_fork || nr == SYS_vfork)
        return true;
#endif
    return nr == SYS_clone || nr == SYS_clone3;
}

bool isDup2(int nr)
{
#ifdef SYS_dup2
    if (nr == SYS_dup2)
        return true;
#endif
    return nr == SYS_dup3;
}

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

/// Total bytes asked for by an iovec array, and where its first buffer is.
std::int64_t iovTotal(pid_t pid, std::uint64_t address, int count, std::uint64_t *first)
{
    std::vector<iovec> iov(static_cast<std::size_t>(std::clamp(count, 0, kMaxIov)));
    const auto bytes = TraceMemory::read(pid, address, iov.size() * sizeof(iovec));
    std::memcpy(iov.data(), bytes.data(), bytes.size());
    std::int64_t total = 0;
    for (std::size_t i = 0; i < bytes.size() / sizeof(iovec); ++i)
        total += static_cast<std::int64_t>(iov[i].iov_len);
    *first = bytes.size() >= sizeof(iovec) ? reinterpret_cast<std::uint64_t>(iov[0].iov_base) : 0;
    return total;
}

/// select's fd sets (read, write, except) at the given addresses, merged.
void readFdSets(pid_t pid, const TracedCall &call, int nfds, std::array<std::uint64_t, Event::kMaxFd / 64> *set)
{
    *set = {};
    const std::size_t bytes = static_cast<std::size_t>((std::clamp(nfds, 0, Event::kMaxFd) + 63) / 64 * 8);
    for (int i = 1; i <= 3; ++i) {
        const auto data = TraceMemory::read(pid, call.args[static_cast<std::size_t>(i)], bytes);
        for (std::size_t w = 0; w < data.size() / 8; ++w) {
            std::uint64_t word = 0;
            std::memcpy(&word, data.data() + w * 8, 8);
            (*set)[w] |= word;
        }
    }
}

std::vector<pollfd> readPollFds(pid_t pid, const TracedCall &call)
{
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(call.args[1], kMaxPoll));
    const auto data = TraceMemory::read(pid, call.args[0], count * sizeof(pollfd));
    std::vector<pollfd> fds(data.size() / sizeof(pollfd));
    std::memcpy(fds.data(), data.data(), fds.size() * sizeof(pollfd));
    return fds;
}

bool anyPipe(pid_t tgid, FdTable &fds, const std::array<std::uint64_t, Event::kMaxFd / 64> &set)
{
    for (int fd = 0; fd < Event::kMaxFd; ++fd) {
        if (Event::bit(set, fd) && fds.lookup(tgid, fd).isPipe())
            return true;
    }
    return false;
}

/// The timeout in ms of select/pselect6/poll/ppoll; -1 waits for ever.
std::int64_t timeoutMs(pid_t pid, const TracedCall &call)
{
#ifdef SYS_poll
    if (call.nr == SYS_poll)
        return static_cast<std::int32_t>(call.args[2]);
#endif
    const std::uint64_t address = call.nr == SYS_ppoll ? call.args[2] : call.args[4];
    if (address == 0)
        return -1;
#ifdef SYS_select
    if (call.nr == SYS_select) {
        timeval tv {};
        return TraceMemory::readValue(pid, address, &tv) ? tv.tv_sec * 1000 + tv.tv_usec / 1000 : -1;
    }
#endif
    timespec ts {};
    return TraceMemory::readValue(pid, address, &ts) ? ts.tv_sec * 1000 + ts.tv_nsec / 1000000 : -1;
}

Event makeEvent(EventKind kind, pid_t tgid, const TracedCall &call)
{
    Event e = call.event;
    e.kind = kind;
    e.pid = tgid;
    e.startNs = call.startNs;
    e.timeNs = nowNs();
    return e;
}

void setResult(Event &e, std::int64_t rval)
{
    if (rval < 0 && rval > -4096) {
        // The kernel's internal restart codes (ERESTARTSYS and kin) are what a
        // signal interrupting a blocked call leaves at the exit stop: the
        // program sees EINTR, or the call is restarted and comes back as a new one.
        constexpr int kRestartSys = 512;
        constexpr int kRestartBlock = 516;
        e.err = static_cast<int>(-rval);
        if (e.err >= kRestartSys && e.err <= kRestartBlock)
            e.err = EINTR;
        e.result = -1;
    } else {
        e.result = rval;
    }
}

} // namespace

bool SyscallDecoder::enter(pid_t tid, pid_t tgid, FdTable &fds, TracedCall &call)
{
    const int nr = call.nr;
    const auto &a = call.args;
    call.event = Event {};
    if (nr == SYS_read || nr == SYS_write || nr == SYS_readv || nr == SYS_writev) {
        call.target = fds.lookup(tgid, asFd(a[0]));
        if (!call.target.isPipe())
            return false;
        call.fd = asFd(a[0]);
        call.produces = (nr == SYS_read || nr == SYS_readv) ? EventKind::Read : EventKind::Write;
        return true;
    }
    if (nr == SYS_splice || nr == SYS_tee) {
        call.target = fds.lookup(tgid, asFd(a[0]));
        call.target2 = fds.lookup(tgid, asFd(nr == SYS_tee ? a[1] : a[2]));
        if (!call.target.isPipe() && !call.target2.isPipe())
            return false;
        call.fd = call.target.isPipe() ? asFd(a[0]) : asFd(nr == SYS_tee ? a[1] : a[2]);
        call.produces = call.target.isPipe() && nr == SYS_splice ? EventKind::Read : EventKind::Write;
        return true;
    }
    if (isPipeCall(nr)) {
        call.produces = EventKind::PipeCreated;
        return true;
    }
    if (nr == SYS_close) {
        const int fd = asFd(a[0]);
        call.target = fds.lookup(tgid, fd);
        // Linux frees the number even when close fails (EINTR, EIO): forget it now.
        fds.erase(fd);
        if (!call.target.isPipe())
            return false;
        call.fd = fd;
        call.produces = EventKind::Close;
        return true;
    }
    if (nr == SYS_close_range) {
        if (a[2] & CLOSE_RANGE_CLOEXEC)
            return false; // only marks close-on-exec; exec re-reads the table
        fds.reload(tgid);
        std::vector<int> doomed;
        for (const auto &[fd, target] : fds.entries()) {
            if (static_cast<unsigned>(fd) < a[0] || static_cast<unsigned>(fd) > a[1])
                continue;
            doomed.push_back(fd);
            if (target.isPipe()) {
                call.fds.push_back(fd);
                call.targets.push_back(target);
            }
        }
        for (const int fd : doomed)
            fds.erase(fd);
        if (call.fds.empty())
            return false;
        call.fd = call.fds.front();
        call.produces = EventKind::Close;
        return true;
    }
    if (nr == SYS_dup || isDup2(nr) || (nr == SYS_fcntl && (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC))) {
        // Every dup needs its result: the new number must enter the table.
        call.target = fds.lookup(tgid, asFd(a[0]));
        if (isDup2(nr))
            call.target2 = fds.lookup(tgid, asFd(a[1]));
        call.fd = asFd(a[0]);
        if (call.target.isPipe() || call.target2.isPipe())
            call.produces = EventKind::Dup2;
        return true;
    }
    if (nr == SYS_fcntl && a[1] == F_SETPIPE_SZ) {
        call.target = fds.lookup(tgid, asFd(a[0]));
        if (!call.target.isPipe())
            return false;
        call.fd = asFd(a[0]);
        call.produces = EventKind::SetPipeSize;
        return true;
    }
    if (isSelect(nr)) {
        readFdSets(tid, call, asFd(a[0]), &call.event.watched);
        if (!anyPipe(tgid, fds, call.event.watched))
            return false;
        call.produces = EventKind::Select;
        return true;
    }
    if (isPoll(nr)) {
        for (const pollfd &p : readPollFds(tid, call)) {
            if (p.fd >= 0 && p.fd < Event::kMaxFd)
                Event::setBit(call.event.watched, p.fd);
        }
        if (!anyPipe(tgid, fds, call.event.watched))
            return false;
        call.produces = EventKind::Select;
        return true;
    }
    if (nr == SYS_wait4 || nr == SYS_waitid) {
        call.produces = EventKind::Wait;
        return true;
    }
    if (nr == SYS_execve || nr == SYS_execveat) {
        call.event.setText(TraceMemory::readArgv(tid, nr == SYS_execve ? a[1] : a[2], Event::kTextSize - 1));
        call.produces = EventKind::Exec;
        return true; // the exit stop only comes when exec failed
    }
    if (nr == SYS_socketpair)
        return true;
    if (FifoCalls::handles(nr))
        return FifoCalls::enter(tid, tgid, call);
    if (nr == SYS_clone)
        call.cloneFlags = a[0];
    if (nr == SYS_clone3)
        TraceMemory::readValue(tid, a[0], &call.cloneFlags); // clone_args starts with flags
    // A new process (not a thread) is an event, though it comes from the
    // PTRACE_EVENT_FORK stop rather than from the exit of this call.
    if (isFork(nr) && !(call.cloneFlags & CLONE_THREAD))
        call.produces = EventKind::Fork;
    return false;
}

void SyscallDecoder::exit(
    pid_t tid, pid_t tgid, FdTable &fds, TracedCall &call, std::int64_t rval, std::vector<Event> *out)
{
    const int nr = call.nr;
    const auto &a = call.args;
    const bool ok = rval >= 0 || rval <= -4096;
    if (FifoCalls::handles(nr)) {
        FifoCalls::exit(tgid, fds, call, rval, out);
        return;
    }
    if (nr == SYS_read || nr == SYS_write || nr == SYS_readv || nr == SYS_writev) {
        Event e = makeEvent(call.produces, tgid, call);
        e.fd = asFd(a[0]);
        e.inode = call.target.inode;
        std::uint64_t buffer = a[1];
        e.requested = static_cast<std::int64_t>(a[2]);
        if (nr == SYS_readv || nr == SYS_writev)
            e.requested = iovTotal(tid, a[1], asFd(a[2]), &buffer);
        setResult(e, rval);
        const std::int64_t shown = call.produces == EventKind::Read ? e.result : (ok ? e.result : e.requested);
        if (shown > 0)
            e.setText(TraceMemory::preview(
                TraceMemory::read(tid, buffer, static_cast<std::size_t>(std::min<std::int64_t>(shown, kPreview)))));
        out->push_back(e);
        return;
    }
    if (nr == SYS_splice || nr == SYS_tee) {
        // splice moves bytes out of one pipe and into the other end: a read of
        // the first and a write of the second. tee copies without consuming: a write only.
        const int outFd = asFd(nr == SYS_tee ? a[1] : a[2]);
        const std::int64_t len = static_cast<std::int64_t>(nr == SYS_tee ? a[2] : a[4]);
        if (nr == SYS_splice && call.target.isPipe()) {
            Event e = makeEvent(EventKind::Read, tgid, call);
            e.fd = asFd(a[0]);
            e.inode = call.target.inode;
            e.requested = len;
            setResult(e, rval);
            e.setText("(splice)");
            out->push_back(e);
        }
        if (call.target2.isPipe()) {
            Event e = makeEvent(EventKind::Write, tgid, call);
            e.fd = outFd;
            e.inode = call.target2.inode;
            e.requested = len;
            setResult(e, rval);
            e.setText(nr == SYS_tee ? "(tee)" : "(splice)");
            out->push_back(e);
        }
        return;
    }
    if (isPipeCall(nr)) {
        Event e = makeEvent(EventKind::PipeCreated, tgid, call);
        e.status = nr == SYS_pipe2 ? static_cast<int>(a[1]) : 0;
        setResult(e, rval);
        int ends[2] = {-1, -1};
        if (ok && TraceMemory::readValue(tid, a[0], &ends)) {
            e.fd = ends[0];
            e.fd2 = ends[1];
            const FdTarget target = FdTable::probe(tgid, ends[0]);
            e.inode = target.inode;
            e.inode2 = target.inode;
            fds.set(ends[0], target);
            fds.set(ends[1], FdTable::probe(tgid, ends[1]));
            e.requested = FdTable::pipeCapacity(tgid, ends[0]);
        }
        out->push_back(e);
        return;
    }
    if (nr == SYS_close || nr == SYS_close_range) {
        const bool range = nr == SYS_close_range;
        const std::size_t n = range ? call.fds.size() : 1;
        for (std::size_t i = 0; i < n; ++i) {
            Event e = makeEvent(EventKind::Close, tgid, call);
            e.fd = range ? call.fds[i] : asFd(a[0]);
            e.inode = range ? call.targets[i].inode : call.target.inode;
            setResult(e, rval);
            out->push_back(e);
        }
        return;
    }
    if (nr == SYS_dup || isDup2(nr) || nr == SYS_fcntl) {
        if (nr == SYS_fcntl && a[1] == F_SETPIPE_SZ) {
            Event e = makeEvent(EventKind::SetPipeSize, tgid, call);
            e.fd = asFd(a[0]);
            e.inode = call.target.inode;
            e.requested = static_cast<std::int64_t>(a[2]);
            setResult(e, rval);
            out->push_back(e);
            return;
        }
        if (ok)
            fds.set(static_cast<int>(rval), call.target);
        if (call.produces != EventKind::Dup2)
            return;
        Event e = makeEvent(EventKind::Dup2, tgid, call);
        e.fd2 = asFd(a[0]);
        e.inode2 = call.target.inode;
        e.fd = isDup2(nr) ? asFd(a[1]) : (ok ? static_cast<int>(rval) : -1);
        e.inode = call.target.isPipe() ? call.target.inode : 0;
        setResult(e, rval);
        out->push_back(e);
        return;
    }
    if (isSelect(nr) || isPoll(nr)) {
        Event e = makeEvent(EventKind::Select, tgid, call);
        e.requested = timeoutMs(tid, call);
        setResult(e, rval);
        if (ok && rval > 0) {
            if (isSelect(nr)) {
                readFdSets(tid, call, asFd(a[0]), &e.ready);
            } else {
                for (const pollfd &p : readPollFds(tid, call)) {
                    if (p.fd >= 0 && p.fd < Event::kMaxFd && p.revents != 0)
                        Event::setBit(e.ready, p.fd);
                }
            }
        }
        out->push_back(e);
        return;
    }
    if (nr == SYS_wait4 || nr == SYS_waitid) {
        // Only a reap is a Wait event: WNOHANG's 0, a stopped child or
        // waitid's WNOWAIT leave the child where it was.
        Event e = makeEvent(EventKind::Wait, tgid, call);
        e.requested = static_cast<std::int32_t>(nr == SYS_wait4 ? a[0] : a[1]);
        if (!ok)
            return;
        if (nr == SYS_wait4) {
            if (rval <= 0)
                return;
            int status = 0;
            if (a[1] != 0 && !TraceMemory::readValue(tid, a[1], &status))
                return;
            if (a[1] != 0 && !WIFEXITED(status) && !WIFSIGNALED(status))
                return;
            e.status = status;
            e.otherPid = static_cast<pid_t>(rval);
        } else {
            if ((a[3] & WNOWAIT) || a[2] == 0)
                return;
            siginfo_t info {};
            if (!TraceMemory::readValue(tid, a[2], &info) || info.si_pid == 0)
                return;
            if (info.si_code == CLD_EXITED)
                e.status = (info.si_status & 0xff) << 8;
            else if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED)
                e.status = (info.si_status & 0x7f) | (info.si_code == CLD_DUMPED ? 0x80 : 0);
            else
                return;
            e.otherPid = info.si_pid;
        }
        e.result = e.otherPid;
        out->push_back(e);
        return;
    }
    if (nr == SYS_execve || nr == SYS_execveat) {
        // Only a failed exec returns: the successful one was a PTRACE_EVENT_EXEC.
        Event e = makeEvent(EventKind::ExecFailed, tgid, call);
        setResult(e, rval);
        if (e.err != 0)
            out->push_back(e);
        return;
    }
    if (nr == SYS_socketpair && ok) {
        int ends[2] = {-1, -1};
        if (!TraceMemory::readValue(tid, a[3], &ends))
            return;
        const FdTarget first = FdTable::probe(tgid, ends[0]);
        const FdTarget second = FdTable::probe(tgid, ends[1]);
        fds.set(ends[0], first);
        fds.set(ends[1], second);
        // The same event a scenario's socketpair makes, so the socket pair is drawn; its reads
        // and writes are not decoded (only pipes' are), which the note says.
        Event pair = makeEvent(EventKind::SocketPair, tgid, call);
        setResult(pair, rval);
        pair.fd = ends[0];
        pair.fd2 = ends[1];
        pair.inode = first.inode;
        pair.inode2 = second.inode;
        pair.status = static_cast<int>(a[1]);
        out->push_back(pair);
        Event e = makeEvent(EventKind::Note, tgid, call);
        e.fd = ends[0];
        e.fd2 = ends[1];
        e.setText("socketpair([" + std::to_string(ends[0]) + ", " + std::to_string(ends[1])
            + "]): a socket pair, not a pipe (Python's multiprocessing.Pipe is one); its bytes are not shown");
        out->push_back(e);
    }
}

} // namespace pipescope
