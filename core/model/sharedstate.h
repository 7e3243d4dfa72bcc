#pragma once

#include <atomic>
#include <cstdint>

namespace pipescope
{

/// Live counters and gates, in one shared mapping that the observer, the
/// runner and every scenario process see. The hot path of a data transfer only
/// touches this (no event per syscall at full speed), so instrumentation stays
/// cheap; each side's counters sit on their own cache line to avoid the writer
/// and reader fighting over one.
struct alignas(64) SharedPipe {
    std::atomic<std::uint64_t> inode {0};
    std::atomic<std::int64_t> capacity {0};
    alignas(64) std::atomic<std::int64_t> written {0};
    std::atomic<std::int64_t> writes {0};
    std::atomic<std::int64_t> maxFill {0}; ///< largest written - read seen right after a write
    alignas(64) std::atomic<std::int64_t> read {0};
    std::atomic<std::int64_t> reads {0};
    std::atomic<std::int32_t> eof {0};

    /// A write of n > 0 bytes returned. measureFill: also update maxFill, which reads the
    /// reader's counter (a cache miss per write, so the hot path of a full-speed run skips it).
    void countWrite(std::int64_t n, bool measureFill);
    /// A read returned n bytes; 0 is EOF.
    void countRead(std::int64_t n);
};

struct alignas(64) SharedProcess {
    std::atomic<std::int32_t> pid {0};
    /// Futex word: 1 while the process waits at its gate, 0 once released.
    std::atomic<std::uint32_t> held {0};
    std::atomic<std::int64_t> bytesIn {0};
    std::atomic<std::int64_t> bytesOut {0};
    /// Futex word of a process about to exec when the runner traces execs:
    /// 0 while it waits, kExecTraced once the runner has seized it, kExecUntraced when it could not.
    std::atomic<std::uint32_t> execTrace {0};
};

constexpr std::uint32_t kExecTraced = 1;
constexpr std::uint32_t kExecUntraced = 2;

enum class GateMode : std::uint32_t { Free = 0, Gated = 1 };

struct SharedState {
    static constexpr int kMaxPipes = 160;
    static constexpr int kMaxProcesses = 160;

    std::atomic<std::uint32_t> magic {0};
    std::atomic<GateMode> mode {GateMode::Free};
    /// Non-zero: a process also waits at its gate before it exits (quiz mode), because
    /// the kernel closes its fds then, which can change the answer of another's call.
    std::atomic<std::uint32_t> gateExits {0};
    /// Non-zero: the runner traces the programs scenario processes exec (ptrace + seccomp),
    /// so a process about to exec waits until it has been seized (SharedProcess::execTrace).
    std::atomic<std::uint32_t> traceExecs {0};
    std::atomic<std::int32_t> pipeCount {0};
    std::atomic<std::int32_t> processCount {0};
    SharedPipe pipes[kMaxPipes];
    SharedProcess processes[kMaxProcesses];

    /// Finds the slot of a pipe by inode, or -1.
    int findPipe(std::uint64_t inode) const;
    /// Registers a pipe (or returns its existing slot); -1 when full.
    int addPipe(std::uint64_t inode, std::int64_t capacity);
};

constexpr std::uint32_t kSharedMagic = 0x50495045; // "PIPE"

} // namespace pipescope
