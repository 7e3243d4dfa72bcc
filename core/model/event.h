#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pipescope
{

/// Where the telemetry pipe's write end lives in every instrumented process
/// (close-on-exec, so exec'd programs never inherit it). Known to the model so
/// that views can hide PipeScope's own pipe without knowing the runner.
inline constexpr int kTelemetryFd = 1000;

/// Every observable step of a scenario run. Syscall kinds are emitted by the
/// process that made the call, after the kernel answered; the others come from
/// the runner, which watches the tree from outside (pidfd, /proc).
enum class EventKind : std::uint16_t {
    RunStarted, ///< runner is up; pid = runner, otherPid = scenario process group
    ProcessStarted, ///< a scenario process registered itself (text = role)
    PipeCreated, ///< pipe2: fd = read end, fd2 = write end, inode, requested = capacity
    SetPipeSize, ///< fcntl(F_SETPIPE_SZ): requested, result = new capacity
    Fork, ///< pid = parent, otherPid = child, text = child's role
    Exec, ///< about to execvp; text = argv joined by spaces; status kExecStatusTraced: the program is traced
    ExecFailed, ///< execvp returned; err = errno
    Dup2, ///< dup2(fd2 -> fd)
    Close, ///< close(fd)
    Write, ///< write(fd, requested) = result / err; text = preview
    Read, ///< read(fd, requested) = result / err; result 0 is EOF
    Select, ///< select/poll: watched, ready, requested = timeout ms
    Sleep, ///< nanosleep(requested ms): a deliberate delay of the program
    Wait, ///< waitpid(otherPid) returned; status = raw wait status
    GateWait, ///< held at its gate before the syscall described (pending)
    Blocked, ///< runner saw it sleeping in the kernel: text = wchan, fd, syscall nr in requested
    Woken, ///< runner saw it running again
    Exited, ///< runner saw it exit (pidfd); status = raw wait status; zombie until reaped
    Reaped, ///< runner reaped it (its own child or an orphan)
    Note, ///< scenario's own remark (text), e.g. verification result
    Watchdog, ///< the watchdog fired: text names the stuck processes
    RunFinished, ///< runner is done; status = 0 ok, 1 scenario failed, 2 cancelled, 3 watchdog, 4 time limit
    Mkfifo, ///< mkfifo(text = path, requested = mode): a named pipe; inode = the FIFO's inode
    Open, ///< open(text = path, status = flags) = fd; inode = the FIFO's inode (0 when not a FIFO), requested =
          ///< capacity
    SocketPair, ///< socketpair(AF_UNIX, status = type): fd, fd2 = the two ends, inode, inode2 = their sockets,
                ///< requested = send buffer
    Count_
};

/// Exec's status: the runner traces the program (ptrace), so its pipe calls are events too.
inline constexpr int kExecStatusTraced = 1;

/// ProcessStarted's status: a process of a traced program (forked by it, no role of a
/// lesson), so it is named by the program it runs: each Exec names it again.
inline constexpr int kStartedNamedByProgram = 1;

/// What a held process is about to do (GateWait's `pending`).
using SyscallKind = EventKind;

/// A fixed-size, trivially copyable record: it crosses process boundaries as
/// raw bytes. Its size stays below PIPE_BUF so that several processes can write
/// records into one pipe without interleaving (writes <= PIPE_BUF are atomic).
struct Event {
    static constexpr std::size_t kTextSize = 232;
    static constexpr int kMaxFd = 256; ///< select sets cover fds 0..255

    std::uint64_t seq = 0; ///< order of arrival at the runner
    std::int64_t timeNs = 0; ///< CLOCK_MONOTONIC, when the syscall returned
    std::int64_t startNs = 0; ///< CLOCK_MONOTONIC, when the syscall was entered
    EventKind kind = EventKind::Note;
    EventKind pending = EventKind::Note; ///< GateWait: the syscall being held
    std::int32_t pid = 0;
    std::int32_t fd = -1;
    std::int32_t fd2 = -1;
    std::int32_t otherPid = 0;
    std::int32_t err = 0; ///< errno, 0 when the call succeeded
    std::int32_t status = 0;
    std::int32_t slot = -1; ///< the process's slot in the shared state (GateWait)
    std::uint64_t inode = 0; ///< pipe (FIFO, socket) inode of fd (0 when none of those)
    std::uint64_t inode2 = 0; ///< pipe (socket) inode of fd2
    std::int64_t requested = 0;
    std::int64_t result = 0;
    std::array<std::uint64_t, kMaxFd / 64> watched {}; ///< Select: fds watched
    std::array<std::uint64_t, kMaxFd / 64> ready {}; ///< Select: fds ready
    char text[kTextSize] = {};

    void setText(std::string_view s);
    std::string_view textView() const;
    static void setBit(std::array<std::uint64_t, kMaxFd / 64> &set, int fd);
    static bool bit(const std::array<std::uint64_t, kMaxFd / 64> &set, int fd);

    bool isEof() const { return kind == EventKind::Read && err == 0 && result == 0 && requested > 0; }
    bool isWouldBlock() const;
    bool isBrokenPipe() const;
};

const char *eventKindName(EventKind kind);
/// True for the kinds a process reports about its own instrumented syscall
/// (what a gate holds back), false for the runner's observations and notes.
bool isSyscallKind(EventKind kind);
/// Parses a name produced by eventKindName; returns Count_ when unknown.
EventKind eventKindFromName(std::string_view name);

/// RunFinished status values.
enum RunOutcome : int {
    OutcomeOk = 0,
    OutcomeFailed = 1,
    OutcomeCancelled = 2,
    OutcomeWatchdog = 3,
    OutcomeTimeLimit = 4, ///< the run's wall-time limit (--time-limit) passed
};
const char *outcomeName(int outcome);

} // namespace pipescope
