#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

/// The fields of /proc/PID/stat the watcher uses.
struct ProcStat {
    std::string comm;
    char state = '?'; ///< R, S, D, Z, T, t, X, I
    pid_t ppid = 0;
    pid_t pgrp = 0;
    unsigned long flags = 0; ///< PF_* (PF_KTHREAD marks a kernel thread)
    long threads = 1; ///< number of threads
    unsigned long long startTime = 0; ///< clock ticks after boot: with the pid, names one process
    int exitCode = 0; ///< raw wait status once state is Z

    bool kernelThread() const { return flags & 0x00200000UL; }
};

/// A numbered entry of /proc/PID/fd and what it points at.
struct FdLink {
    int fd = -1;
    std::string target; ///< "pipe:[1234]", "/dev/null", "socket:[...]"
    std::uint64_t pipeInode = 0; ///< non-zero for pipes
};

/// The system call a process is in, from /proc/PID/syscall.
struct ProcCall {
    bool running = false; ///< on a CPU or ready to run: in no call
    long nr = -1; ///< the call's number, -1 when it sleeps outside any (a page fault)
    /// For read, write and their vector and positioned forms: the fd, and
    /// whether the call writes; -1 for any other call.
    int fd = -1;
    bool writes = false;
};

/// Small, allocation-light readers of /proc for a watcher that samples many
/// processes a few times a second. Every function answers nothing (or empty)
/// when the process has gone: between two reads it may exit at any time.
class ProcReader
{
public:
    static std::optional<ProcStat> stat(pid_t pid);
    /// rchar and wchar of /proc/PID/io.
    static bool io(pid_t pid, std::uint64_t *rchar, std::uint64_t *wchar);
    static std::string wchan(pid_t pid);
    /// The system call a process is in (/proc/PID/syscall); nothing when it
    /// cannot be read (it needs the right to ptrace the process, as
    /// pidfd_getfd does). Reading it waits until the kernel has taken the
    /// process off its run queue, so its wchan is readable after.
    static std::optional<ProcCall> call(pid_t pid);
    static std::vector<FdLink> fds(pid_t pid);
    /// The open flags of one fd (fdinfo "flags:"), -1 when unknown.
    static long fdFlags(pid_t pid, int fd);
    /// Children of pid (/proc/PID/task/TID/children). With `threads` 1 only
    /// the main thread's list is read: one file instead of a directory walk.
    static std::vector<pid_t> children(pid_t pid, long threads);
    /// Every pid in /proc.
    static std::vector<pid_t> allPids();

    /// The parsers behind the readers, for a caller that keeps the files open
    /// (ProcHandle): the text of /proc/PID/stat, of io, a list of pids ("12 13 ").
    static std::optional<ProcStat> parseStat(const char *text);
    static bool parseIo(const char *text, std::uint64_t *rchar, std::uint64_t *wchar);
    static std::vector<pid_t> parsePids(const char *text);
    /// An fd and the target of its /proc/PID/fd link, with the pipe's inode.
    static FdLink fdLink(int fd, const char *target, std::size_t length);
    /// "/proc/PID/LEAF".
    static std::string path(pid_t pid, const char *leaf);
    /// True for a directory entry that names a pid or an fd (digits only).
    static bool numeric(const char *name);
};

} // namespace pipescope
