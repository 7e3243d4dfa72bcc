#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pipescope
{

/// What a watched process was doing when it was sampled, from /proc/PID/stat
/// and /proc/PID/wchan (never from stopping it).
enum class WatchState : std::uint8_t {
    Running, ///< state R: on a CPU or ready to run
    BlockedWrite, ///< asleep in the kernel's pipe write (wchan anon_pipe_write): its pipe is full
    BlockedRead, ///< asleep in the kernel's pipe read (wchan anon_pipe_read): its pipe is empty
    Sleeping, ///< asleep for any other reason (wait, poll, nanosleep, disk); see wchan
    Stopped, ///< state T or t: stopped by a signal or a debugger
    Exited, ///< gone, or a zombie waiting to be reaped
};

/// "running", "blocked-write", ...: stable names, used in JSON.
const char *watchStateName(WatchState state);
/// "blocked in write: pipe full" style words for people.
const char *watchStateText(WatchState state);

/// One end of a pipe held by a watched process.
struct WatchedEnd {
    std::uint64_t inode = 0; ///< the pipe: both ends of one pipe share it
    int fd = -1;
    bool writeEnd = false; ///< opened O_WRONLY (a read end is O_RDONLY)
};

/// One process of the watched pipeline at one sample.
struct WatchedProcess {
    pid_t pid = 0;
    pid_t ppid = 0;
    std::string name; ///< comm: the program it runs now (changes at exec)
    WatchState state = WatchState::Running;
    std::string wchan; ///< kernel function it sleeps in, empty when running
    /// Bytes it read and wrote through any fd since it started (/proc/PID/io
    /// rchar and wchar: every read and write, pipes, files and terminals alike,
    /// a program loader's reads included).
    std::uint64_t rchar = 0;
    std::uint64_t wchar = 0;
    /// rchar and wchar are its final counts (from the kernel's exit
    /// accounting); otherwise they are from its last sample, a lower bound.
    bool countsFinal = false;
    /// Final counts may be up to this many bytes below the truth: 0 when read
    /// from a zombie's /proc, 1023 from exit accounting (it rounds down to KiB).
    std::uint64_t countsSlack = 0;
    bool statusKnown = false; ///< exitStatus holds the raw wait status
    int exitStatus = 0;
    std::vector<WatchedEnd> ends; ///< pipe ends it holds (empty once exited)
    /// BlockedWrite or BlockedRead: the fd it sleeps on, from the system call
    /// it is in (/proc/PID/syscall); -1 when unknown (then read `outPipe` or
    /// `inPipe` as the likely one).
    int blockedFd = -1;
    /// The pipe its input comes from (its only readable pipe but stray ones,
    /// or its stdin), and the one its output goes to; 0 when none is held now.
    std::uint64_t inPipe = 0;
    std::uint64_t outPipe = 0;
    std::int64_t firstSeenNs = 0; ///< CLOCK_MONOTONIC
    std::int64_t exitedNs = 0; ///< when it was first seen gone, 0 while alive

    bool exited() const { return state == WatchState::Exited; }
};

/// Where a pipe's byte count comes from. /proc counts bytes per process, not
/// per pipe: a count is attributed to a pipe where the process can read (or
/// write) nothing else through an open fd but fd 2, or, marked as assumed,
/// where the pipe is its stdin (or stdout) and its other fds are taken as idle.
enum class ByteBasis : std::uint8_t {
    None, ///< no process's counts can be attributed to this pipe
    Readers, ///< sum of rchar of its readers: bytes that came out (plus a loader's few KiB)
    Writers, ///< sum of wchar of its writers: bytes that went in (including what is still in it)
    /// Both sums known: the smaller. Each counts more than went through (the
    /// readers' their loaders' reads, the writers' what was left unread), so
    /// the smaller is the nearer.
    Both,
};
const char *byteBasisName(ByteBasis basis);

/// One pipe between watched processes at one sample.
struct WatchedPipe {
    std::uint64_t inode = 0;
    std::vector<pid_t> writers; ///< processes holding its write end now
    std::vector<pid_t> readers; ///< processes holding its read end now
    std::string from; ///< writers' names joined by ",", "?" when none is watched
    std::string to; ///< readers' names, likewise
    bool open = true; ///< some watched process still holds an end
    std::int64_t fill = -1; ///< bytes in its buffer (FIONREAD), -1 when unknown
    std::int64_t capacity = -1; ///< its buffer size (F_GETPIPE_SZ), -1 when unknown
    std::uint64_t bytes = 0; ///< bytes through it so far, see basis
    ByteBasis basis = ByteBasis::None;
    /// All of bytes comes from final counts of processes that have exited, or
    /// from processes still running at this sample: nothing was missed between
    /// a last sample and an exit.
    bool bytesFinal = false;
    /// Some count in bytes is a process's stdin or stdout count while it also
    /// held other files it could read or write: assumed idle, not known to be.
    bool bytesAssumed = false;
    std::uint64_t bytesSlack = 0; ///< with bytesFinal: bytes may be this much below the truth
    std::uint64_t bytesIn = 0; ///< writers' attributable wchar
    std::uint64_t bytesOut = 0; ///< readers' attributable rchar
    bool inKnown = false; ///< every writer seen was attributable
    bool outKnown = false; ///< every reader seen was attributable
    double rate = 0; ///< bytes per second over the last interval
    bool writerBlocked = false; ///< a writer sleeps in write on it: it is full
    bool readerBlocked = false; ///< a reader sleeps in read on it: it is empty

    bool full() const { return writerBlocked || (capacity > 0 && fill >= capacity); }
    bool empty() const { return readerBlocked || fill == 0; }
};

/// Everything seen at one sample: the processes (live ones, and exited ones for
/// a while) and the pipes between them.
struct WatchSample {
    std::uint64_t seq = 0; ///< 0, 1, 2, ... per watcher
    std::int64_t timeNs = 0; ///< CLOCK_MONOTONIC
    std::int64_t costNs = 0; ///< how long taking this sample took
    std::vector<WatchedProcess> processes;
    std::vector<WatchedPipe> pipes;

    const WatchedProcess *process(pid_t pid) const;
    const WatchedPipe *pipe(std::uint64_t inode) const;
    /// Processes still alive in this sample.
    int liveCount() const;
};

} // namespace pipescope
