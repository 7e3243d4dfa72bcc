#include "core/trace/fifocalls.h"

#include "core/trace/tracememory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <cerrno>
#include <ctime>

namespace pipescope
{

namespace
{

constexpr std::size_t kMaxPath = 4096;

bool isOpen(int nr)
{
#ifdef SYS_open
    if (nr == SYS_open)
        return true;
#endif
    return nr == SYS_openat;
}

bool isMknod(int nr)
{
#ifdef SYS_mknod
    if (nr == SYS_mknod)
        return true;
#endif
    return nr == SYS_mknodat;
}

/// open(path, flags) and mknod(path, mode) have no dirfd: their arguments start one earlier.
bool atForm(int nr)
{
    return nr == SYS_openat || nr == SYS_mknodat;
}

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

Event makeEvent(EventKind kind, pid_t tgid, const TracedCall &call, std::int64_t rval)
{
    Event e = call.event; // the path, read at the entry
    e.kind = kind;
    e.pid = tgid;
    e.startNs = call.startNs;
    e.timeNs = nowNs();
    if (rval < 0 && rval > -4096) {
        // ERESTARTSYS and kin (512..516): a signal interrupted a blocked open; the program sees EINTR.
        e.err = rval <= -512 && rval >= -516 ? EINTR : static_cast<int>(-rval);
        e.result = -1;
    } else {
        e.result = rval;
    }
    return e;
}

} // namespace

bool FifoCalls::handles(int nr)
{
    return isOpen(nr) || isMknod(nr);
}

std::string FifoCalls::reachable(pid_t tid, pid_t tgid, int dirfd, const std::string &path)
{
    if (!path.empty() && path.front() == '/')
        return path;
    if (dirfd == AT_FDCWD)
        return "/proc/" + std::to_string(tid) + "/cwd/" + path;
    return "/proc/" + std::to_string(tgid) + "/fd/" + std::to_string(dirfd) + "/" + path;
}

bool FifoCalls::enter(pid_t tid, pid_t tgid, TracedCall &call)
{
    const int nr = call.nr;
    const std::size_t first = atForm(nr) ? 1 : 0;
    const int dirfd = atForm(nr) ? static_cast<int>(static_cast<std::int32_t>(call.args[0])) : AT_FDCWD;
    const std::uint64_t mode = call.args[first + 1];
    if (isMknod(nr) && !S_ISFIFO(static_cast<mode_t>(mode)))
        return false; // a device or a plain file, no pipe
    // O_PATH opens no end: nothing can be read or written through it.
    if (isOpen(nr) && (mode & O_PATH))
        return false;
    const std::string path = TraceMemory::readString(tid, call.args[first], kMaxPath);
    if (path.empty())
        return false;
    if (isOpen(nr)) {
        // Only a FIFO's open is an event: what the name is now tells (open follows links, as stat does).
        struct stat st {
        };
        if (stat(reachable(tid, tgid, dirfd, path).c_str(), &st) != 0 || !S_ISFIFO(st.st_mode))
            return false;
        call.produces = EventKind::Open;
        call.event.status = static_cast<int>(mode); // the flags
    } else {
        call.produces = EventKind::Mkfifo;
        call.event.requested = static_cast<std::int64_t>(mode & 07777);
    }
    call.event.setText(path);
    return true;
}

void FifoCalls::exit(pid_t tgid, FdTable &fds, TracedCall &call, std::int64_t rval, std::vector<Event> *out)
{
    Event e = makeEvent(call.produces, tgid, call, rval);
    const bool ok = e.err == 0;
    if (call.produces == EventKind::Open) {
        if (ok) {
            e.fd = static_cast<int>(rval);
            const FdTarget target = FdTable::probe(tgid, e.fd);
            fds.set(e.fd, target);
            if (target.isPipe()) {
                e.inode = target.inode;
                e.requested = FdTable::pipeCapacity(tgid, e.fd);
            }
        }
    } else if (ok) {
        const int dirfd = atForm(call.nr) ? static_cast<int>(static_cast<std::int32_t>(call.args[0])) : AT_FDCWD;
        struct stat st {
        };
        // The tid's cwd: a thread of the process made it, and every thread shares the cwd.
        if (stat(reachable(tgid, tgid, dirfd, std::string(e.textView())).c_str(), &st) == 0 && S_ISFIFO(st.st_mode))
            e.inode = st.st_ino;
    }
    out->push_back(e);
}

} // namespace pipescope
