#pragma once

#include "core/watch/holderscan.h"
#include "core/watch/pipeledger.h"
#include "core/watch/prochandle.h"
#include "core/watch/watchsample.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pipescope
{

/// What to watch and how far to look.
struct WatchOptions {
    pid_t root = 0; ///< the process the pipeline grows from
    /// Also watch every process that holds an end of a pipe of a watched
    /// process (how `--pid` of one stage finds the others). Found by reading
    /// every process's fd table, so only every `holderScanEvery` samples; the
    /// search goes on through a holder's own pipes only when it shares the
    /// root's process group, as the stages of one shell pipeline do.
    bool followPipeHolders = false;
    int holderScanEvery = 5;
    /// Also watch the caller's own children: a command we started, and the
    /// orphans of its tree that come back to us as their subreaper.
    bool includeOwnChildren = false;
    /// Children of ours that are never part of the pipeline (the command's guardian).
    std::set<pid_t> ignored;
    /// How long an exited process stays in the samples (the summary keeps it).
    std::int64_t keepExitedNs = 3'000'000'000;
};

/// Samples a running pipeline from /proc, a few times a second, without
/// stopping or slowing any process: which processes there are, which pipe
/// ends each holds (/proc/PID/fd, fdinfo), what each is doing (stat, wchan),
/// how many bytes each moved (io), and how full each pipe is (PipeGauge).
/// Not thread-safe: one thread samples.
class PipelineWatcher
{
public:
    explicit PipelineWatcher(const WatchOptions &options);

    /// Why `pid` cannot be watched with --pid ("no process 4242"), or nothing
    /// when it can: it must exist, be visible, not be PID 1 nor a kernel thread.
    static std::optional<std::string> refusal(pid_t pid);

    /// Looks at every watched process once and returns what it saw.
    WatchSample sample();

    /// Tell the watcher a process's raw wait status (we reaped it).
    void setExitStatus(pid_t pid, int status);
    /// A process's final byte counts and status, from the kernel's exit
    /// accounting (up to `slack` bytes below the truth): replaces the lower
    /// bounds of its last sample. Ignored for a pid the watcher does not know.
    void setFinalCounts(pid_t pid, std::uint64_t rchar, std::uint64_t wchar, int status, std::uint64_t slack);

    /// Every process seen since the start, exited ones included (for a summary).
    std::vector<WatchedProcess> everyProcess() const;
    /// Every pipe seen since the start, with its latest count.
    std::vector<WatchedPipe> everyPipe() const;
    /// Some watched process is still alive (at the last sample).
    bool anyAlive() const;

private:
    struct CachedFd {
        std::string target;
        long flags = -1;
    };
    struct Tracked {
        WatchedProcess proc;
        ProcHandle handle; ///< its /proc files, kept open while it lives
        unsigned long long startTime = 0;
        pid_t pgrp = 0;
        long threads = 0; ///< at its last sample; 0 before the first
        std::map<int, CachedFd> fdCache;
        /// The pipe its output goes to: the only one it can write (but fd 2),
        /// or else the one at its stdout (outSole false: other files it could
        /// write are assumed idle, as a filter's are); 0 when neither.
        std::uint64_t outPipe = 0;
        std::uint64_t inPipe = 0; ///< likewise for input and its stdin
        bool outSole = false;
        bool inSole = false;
    };

    void discover(std::int64_t now);
    void track(pid_t pid, std::int64_t now);
    void read(Tracked &t, std::int64_t now);
    void readFds(Tracked &t, bool verify);
    void markExited(Tracked &t, std::int64_t now);
    void scanHolders(std::int64_t now);
    void account(const Tracked &t);
    void forgetIdleHolders();
    struct Holder {
        Tracked *process;
        WatchedEnd end;
    };
    WatchedPipe buildPipe(std::uint64_t inode, PipeLedger &ledger, const std::vector<Holder> &holders,
        const std::map<pid_t, std::string> &names, std::int64_t now);

    WatchOptions m_options;
    pid_t m_self = 0; ///< getpid(), asked once
    ProcHandle m_selfHandle; ///< our own /proc files, for our children
    HolderScan m_holders;
    pid_t m_rootPgrp = 0;
    std::uint64_t m_seq = 0;
    std::map<pid_t, Tracked> m_procs;
    std::map<std::uint64_t, PipeLedger> m_pipes;
};

} // namespace pipescope
