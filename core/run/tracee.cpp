#include "core/run/tracee.h"

#include "core/model/sharedstate.h"
#include "core/trace/seccompfilter.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pipescope
{

namespace
{

void futexWait(std::atomic<std::uint32_t> *word, std::uint32_t expected)
{
    // Process-shared futex (no FUTEX_PRIVATE_FLAG): the word lives in a MAP_SHARED mapping.
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), FUTEX_WAIT, expected, nullptr, nullptr, 0);
}

/// A counter only this process writes: a plain store is enough, no locked add.
void addOwn(std::atomic<std::int64_t> &counter, std::int64_t n)
{
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

std::uint64_t inodeOf(int fd)
{
    struct stat st {
    };
    return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) ? st.st_ino : 0;
}

std::uint64_t socketInodeOf(int fd)
{
    struct stat st {
    };
    return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) ? st.st_ino : 0;
}

} // namespace

Tracee::Tracee(SharedState *shared, int eventFd, int slot, std::string role)
    : m_shared(shared), m_eventFd(eventFd), m_slot(slot), m_pid(getpid()), m_role(std::move(role))
{
    m_fdPipe.fill(-1);
    m_fdInode.fill(0);
    m_shared->processes[m_slot].pid.store(m_pid, std::memory_order_release);
    Event e = makeEvent(EventKind::ProcessStarted, -1);
    e.otherPid = getppid();
    e.setText(m_role);
    emit(e);
}

std::int64_t Tracee::nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

void Tracee::preview(const void *data, std::size_t size, Event &event)
{
    constexpr std::size_t kPreview = 40;
    const auto *bytes = static_cast<const unsigned char *>(data);
    std::string out;
    for (std::size_t i = 0; i < size && i < kPreview; ++i)
        out += (bytes[i] >= 0x20 && bytes[i] < 0x7f) ? static_cast<char>(bytes[i]) : (bytes[i] == '\n' ? '|' : '.');
    event.setText(out);
}

Event Tracee::makeEvent(EventKind kind, int fd) const
{
    Event e;
    e.kind = kind;
    e.pid = m_pid;
    e.slot = m_slot;
    e.fd = fd;
    if (fd >= 0 && fd < kMaxTrackedFd)
        e.inode = m_fdInode[static_cast<std::size_t>(fd)];
    return e;
}

void Tracee::emit(Event &event)
{
    if (event.timeNs == 0)
        event.timeNs = nowNs();
    // One record per write, below PIPE_BUF: atomic even with many writers.
    ssize_t n;
    do {
        n = ::write(m_eventFd, &event, sizeof event);
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof event))
        _exit(125); // the runner is gone: nobody may see what we do, so stop
}

void Tracee::gate(
    EventKind kind, int fd, std::int64_t requested, const std::array<std::uint64_t, Event::kMaxFd / 64> *watched)
{
    if (m_shared->mode.load(std::memory_order_acquire) == GateMode::Free)
        return;
    auto &held = m_shared->processes[m_slot].held;
    held.store(1, std::memory_order_release);
    Event e = makeEvent(EventKind::GateWait, fd);
    e.pending = kind;
    e.requested = requested;
    if (watched)
        e.watched = *watched;
    emit(e);
    while (held.load(std::memory_order_acquire) == 1)
        futexWait(&held, 1);
}

bool Tracee::detailed()
{
    if (m_shared->mode.load(std::memory_order_relaxed) != GateMode::Free)
        return true;
    if (m_dataEventsLeft > 0) {
        if (--m_dataEventsLeft == 0)
            note(kFreeRunNote);
        return true;
    }
    return false;
}

int Tracee::pipeSlot(int fd) const
{
    return fd >= 0 && fd < kMaxTrackedFd ? m_fdPipe[static_cast<std::size_t>(fd)] : -1;
}

void Tracee::track(int fd, int slot, std::uint64_t inode)
{
    if (fd >= 0 && fd < kMaxTrackedFd) {
        m_fdPipe[static_cast<std::size_t>(fd)] = static_cast<std::int16_t>(slot);
        m_fdInode[static_cast<std::size_t>(fd)] = inode;
    }
}

Tracee::PipeEnds Tracee::pipe(int flags, std::string_view purpose)
{
    gate(EventKind::PipeCreated, -1, flags);
    Event e = makeEvent(EventKind::PipeCreated, -1);
    e.setText(purpose);
    e.startNs = nowNs();
    int fds[2] = {-1, -1};
    const int r = ::pipe2(fds, flags);
    e.timeNs = nowNs();
    e.err = r < 0 ? errno : 0;
    e.result = r;
    e.status = flags;
    PipeEnds ends;
    if (r == 0) {
        ends = {fds[0], fds[1], inodeOf(fds[0])};
        e.requested = fcntl(fds[0], F_GETPIPE_SZ);
        const int slot = m_shared->addPipe(ends.inode, e.requested);
        track(fds[0], slot, ends.inode);
        track(fds[1], slot, ends.inode);
        e.fd = fds[0];
        e.fd2 = fds[1];
        e.inode = e.inode2 = ends.inode;
    }
    emit(e);
    return ends;
}

std::string Tracee::makePrivateFifo(std::string_view name)
{
    gate(EventKind::Mkfifo, -1, 0600);
    Event e = makeEvent(EventKind::Mkfifo, -1);
    e.startNs = nowNs();
    e.requested = 0600;
    const char *tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/pipescope-fifo-XXXXXX";
    std::string path;
    int r = -1;
    if (mkdtemp(dir.data())) {
        path = dir + "/" + std::string(name);
        r = ::mkfifo(path.c_str(), 0600);
        e.err = r < 0 ? errno : 0;
        struct stat st {
        };
        if (r == 0 && stat(path.c_str(), &st) == 0) {
            e.inode = st.st_ino;
            // Its counters' slot now, before the processes that open it race to claim one each.
            m_shared->addPipe(e.inode, 65536);
        }
        if (r < 0)
            rmdir(dir.c_str());
    } else {
        e.err = errno;
        path = dir;
    }
    e.timeNs = nowNs();
    e.result = r;
    e.setText(path);
    emit(e);
    return r == 0 ? path : std::string();
}

int Tracee::open(const std::string &path, int flags)
{
    gate(EventKind::Open, -1, flags);
    Event e = makeEvent(EventKind::Open, -1);
    e.startNs = nowNs();
    int r;
    do {
        r = ::open(path.c_str(), flags);
    } while (r < 0 && errno == EINTR);
    e.timeNs = nowNs();
    e.err = r < 0 ? errno : 0;
    e.result = r;
    e.status = flags;
    e.setText(path);
    if (r >= 0) {
        e.fd = r;
        e.inode = inodeOf(r);
        if (e.inode) {
            e.requested = fcntl(r, F_GETPIPE_SZ);
            track(r, m_shared->addPipe(e.inode, e.requested), e.inode);
        }
    }
    emit(e);
    errno = e.err;
    return r;
}

Tracee::SocketEnds Tracee::socketpair(int type)
{
    gate(EventKind::SocketPair, -1, type);
    Event e = makeEvent(EventKind::SocketPair, -1);
    e.startNs = nowNs();
    int sv[2] = {-1, -1};
    const int r = ::socketpair(AF_UNIX, type, 0, sv);
    e.timeNs = nowNs();
    e.err = r < 0 ? errno : 0;
    e.result = r;
    e.status = type;
    SocketEnds ends;
    if (r == 0) {
        ends = {sv[0], sv[1], socketInodeOf(sv[0]), socketInodeOf(sv[1])};
        int sndbuf = 0;
        socklen_t len = sizeof sndbuf;
        if (getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) == 0)
            e.requested = sndbuf;
        // One counter slot per end: what was written into it and read from it.
        // No capacity: a socket's bytes wait in the receiving end's queue, not in one buffer.
        track(sv[0], m_shared->addPipe(ends.inode, 0), ends.inode);
        track(sv[1], m_shared->addPipe(ends.inode2, 0), ends.inode2);
        e.fd = sv[0];
        e.fd2 = sv[1];
        e.inode = ends.inode;
        e.inode2 = ends.inode2;
    }
    emit(e);
    return ends;
}

long Tracee::setPipeSize(int fd, long bytes)
{
    gate(EventKind::SetPipeSize, fd, bytes);
    Event e = makeEvent(EventKind::SetPipeSize, fd);
    e.startNs = nowNs();
    e.requested = bytes;
    const long r = fcntl(fd, F_SETPIPE_SZ, bytes);
    e.timeNs = nowNs();
    e.result = r;
    e.err = r < 0 ? errno : 0;
    if (const int slot = pipeSlot(fd); slot >= 0 && r > 0)
        m_shared->pipes[slot].capacity.store(r, std::memory_order_relaxed);
    emit(e);
    return r;
}

pid_t Tracee::fork(std::string_view childRole, const std::function<int(Tracee &)> &body)
{
    gate(EventKind::Fork, -1, 0);
    Event e = makeEvent(EventKind::Fork, -1);
    e.startNs = nowNs();
    const pid_t parent = m_pid;
    const pid_t child = ::fork();
    if (child == 0) {
        // The child dies with its parent, so a killed tree never leaves orphans behind.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(124);
        const int slot = m_shared->processCount.fetch_add(1, std::memory_order_acq_rel);
        if (slot >= SharedState::kMaxProcesses)
            _exit(123);
        m_slot = slot;
        m_pid = getpid();
        m_role = std::string(childRole);
        m_dataEventsLeft = kFreeRunDataEvents;
        m_shared->processes[m_slot].pid.store(m_pid, std::memory_order_release);
        Event started = makeEvent(EventKind::ProcessStarted, -1);
        started.otherPid = parent;
        started.setText(m_role);
        emit(started);
        exit(body(*this));
    }
    e.timeNs = nowNs();
    e.result = child;
    e.err = child < 0 ? errno : 0;
    e.otherPid = child;
    e.setText(childRole);
    emit(e);
    return child;
}

ssize_t Tracee::write(int fd, const void *data, std::size_t size)
{
    gate(EventKind::Write, fd, static_cast<std::int64_t>(size));
    const bool detail = detailed();
    const std::int64_t start = detail ? nowNs() : 0;
    ssize_t r;
    do {
        r = ::write(fd, data, size);
    } while (r < 0 && errno == EINTR);
    const int err = r < 0 ? errno : 0;
    if (const int slot = pipeSlot(fd); slot >= 0 && r > 0) {
        // The fill only for logged writes; at full speed the runner samples it,
        // and a writer blocked in pipe_write tells it the pipe is full.
        m_shared->pipes[slot].countWrite(r, detail);
        addOwn(m_shared->processes[m_slot].bytesOut, r);
    }
    if (detail) {
        Event e = makeEvent(EventKind::Write, fd);
        e.startNs = start;
        e.requested = static_cast<std::int64_t>(size);
        e.result = r;
        e.err = err;
        preview(data, r > 0 ? static_cast<std::size_t>(r) : size, e);
        emit(e);
    }
    errno = err;
    return r;
}

ssize_t Tracee::read(int fd, void *data, std::size_t size)
{
    gate(EventKind::Read, fd, static_cast<std::int64_t>(size));
    const bool detail = detailed();
    const std::int64_t start = detail ? nowNs() : 0;
    ssize_t r;
    do {
        r = ::read(fd, data, size);
    } while (r < 0 && errno == EINTR);
    const int err = r < 0 ? errno : 0;
    if (const int slot = pipeSlot(fd); slot >= 0 && r >= 0) {
        m_shared->pipes[slot].countRead(r);
        if (r > 0)
            addOwn(m_shared->processes[m_slot].bytesIn, r);
    }
    if (detail || r == 0) { // EOF is always worth an event
        Event e = makeEvent(EventKind::Read, fd);
        e.startNs = start ? start : nowNs();
        e.requested = static_cast<std::int64_t>(size);
        e.result = r;
        e.err = err;
        if (r > 0)
            preview(data, static_cast<std::size_t>(r), e);
        emit(e);
    }
    errno = err;
    return r;
}

bool Tracee::writeAll(int fd, const void *data, std::size_t size)
{
    const auto *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = write(fd, p, size);
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

int Tracee::close(int fd)
{
    gate(EventKind::Close, fd, 0);
    Event e = makeEvent(EventKind::Close, fd);
    e.startNs = nowNs();
    // No EINTR retry: on Linux the fd is gone even when close reports EINTR.
    const int r = ::close(fd);
    e.timeNs = nowNs();
    e.result = r;
    e.err = r < 0 ? errno : 0;
    if (r == 0)
        track(fd, -1, 0);
    emit(e);
    return r;
}

int Tracee::dup2(int oldFd, int newFd)
{
    gate(EventKind::Dup2, newFd, oldFd);
    Event e = makeEvent(EventKind::Dup2, newFd);
    e.startNs = nowNs();
    e.fd2 = oldFd;
    e.inode2 = oldFd >= 0 && oldFd < kMaxTrackedFd ? m_fdInode[static_cast<std::size_t>(oldFd)] : 0;
    const int r = ::dup2(oldFd, newFd);
    e.timeNs = nowNs();
    e.result = r;
    e.err = r < 0 ? errno : 0;
    if (r >= 0)
        track(newFd, pipeSlot(oldFd), e.inode2);
    e.inode = e.inode2;
    emit(e);
    return r;
}

int Tracee::select(const std::vector<int> &fds, int timeoutMs, std::vector<int> *ready)
{
    Event e = makeEvent(EventKind::Select, -1);
    fd_set set;
    FD_ZERO(&set);
    int maxFd = -1;
    for (int fd : fds) {
        FD_SET(fd, &set);
        Event::setBit(e.watched, fd);
        maxFd = std::max(maxFd, fd);
    }
    gate(EventKind::Select, -1, timeoutMs, &e.watched);
    timeval tv {timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    e.startNs = nowNs();
    const int r = ::select(maxFd + 1, &set, nullptr, nullptr, timeoutMs < 0 ? nullptr : &tv);
    e.timeNs = nowNs();
    e.requested = timeoutMs;
    e.result = r;
    e.err = r < 0 ? errno : 0;
    if (ready)
        ready->clear();
    for (int fd : fds) {
        if (r > 0 && FD_ISSET(fd, &set)) {
            Event::setBit(e.ready, fd);
            if (ready)
                ready->push_back(fd);
        }
    }
    emit(e);
    return r;
}

pid_t Tracee::waitpid(pid_t pid, int *status, int options)
{
    gate(EventKind::Wait, -1, pid);
    Event e = makeEvent(EventKind::Wait, -1);
    e.startNs = nowNs();
    int st = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &st, options);
    } while (r < 0 && errno == EINTR);
    e.timeNs = nowNs();
    e.requested = pid;
    e.result = r;
    e.err = r < 0 ? errno : 0;
    e.otherPid = r > 0 ? r : 0;
    e.status = st;
    emit(e);
    if (status)
        *status = st;
    return r;
}

void Tracee::exec(const std::vector<std::string> &argv, int errorFd)
{
    gate(EventKind::Exec, -1, 0);
    std::vector<char *> args;
    std::string joined;
    for (const std::string &a : argv) {
        args.push_back(const_cast<char *>(a.c_str()));
        joined += (joined.empty() ? "" : " ") + a;
    }
    args.push_back(nullptr);
    Event e = makeEvent(EventKind::Exec, -1);
    e.startNs = nowNs();
    e.setText(joined);
    if (m_shared->traceExecs.load(std::memory_order_acquire) != 0) {
        // The runner seizes us when it reads this Exec (PTRACE_SEIZE needs no help from us)
        // and says so here. Only then the filter: its SECCOMP_RET_TRACE without a tracer
        // would fail every traced call with ENOSYS.
        const std::vector<sock_filter> filter = SeccompFilter::program();
        auto &word = m_shared->processes[m_slot].execTrace;
        emit(e);
        while (word.load(std::memory_order_acquire) == 0)
            futexWait(&word, 0);
        if (word.load(std::memory_order_acquire) == kExecTraced) {
            const sock_fprog program {
                static_cast<unsigned short>(filter.size()), const_cast<sock_filter *>(filter.data())};
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0)
                note(std::string("seccomp filter refused (") + std::strerror(errno)
                    + "): only the program's exec and exit are seen");
        }
    } else {
        emit(e);
    }
    execvp(args[0], args.data());
    const int err = errno;
    Event failed = makeEvent(EventKind::ExecFailed, -1);
    failed.err = err;
    failed.result = -1;
    failed.setText(joined);
    emit(failed);
    write(errorFd, &err, sizeof err);
    exit(127);
}

void Tracee::sleepMs(int ms)
{
    Event e = makeEvent(EventKind::Sleep, -1);
    e.startNs = nowNs();
    timespec ts {ms / 1000, static_cast<long>(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) { }
    e.timeNs = nowNs();
    e.requested = ms;
    if (detailed())
        emit(e);
}

void Tracee::note(std::string_view text)
{
    Event e = makeEvent(EventKind::Note, -1);
    e.setText(text);
    emit(e);
}

void Tracee::exit(int code)
{
    // Quiz mode: the kernel closes every fd of a process that exits, which can turn
    // another's blocked read into EOF or its write into EPIPE, so exiting waits its turn too.
    if (m_shared->gateExits.load(std::memory_order_acquire) != 0)
        gate(EventKind::Exited, -1, code);
    _exit(code);
}

} // namespace pipescope
