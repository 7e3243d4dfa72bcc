#pragma once

#include "core/run/control.h"

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <functional>

namespace pipescope
{

struct SharedState;

/// Where the runner holds a process at its gate. A process that reached its
/// gate (GateWait) sleeps on its futex word in the shared state; the keeper
/// queues it, oldest first, and releases it (clears the word, wakes the futex)
/// when the run mode says so: all at once (Free), one every pace (Paced), or
/// one per Step (Step). A Step is spent at once or not at all: one that finds
/// nobody at a gate is not kept for later, where it would release a burst.
/// A program the runner traces is held in a ptrace stop instead of on a futex:
/// its gate is released through a callback that resumes it.
class GateKeeper
{
public:
    /// The shared state holding the futex words; must be set before any release.
    void attach(SharedState *shared) { m_shared = shared; }
    /// Resumes a traced task held in its syscall-entry stop; false when it is no longer held there.
    void setTracedRelease(std::function<bool(pid_t tid)> release) { m_releaseTraced = std::move(release); }
    /// A process reported GateWait: it waits at its gate until released. tracedTid:
    /// the task held in a ptrace stop (0: the process waits on its futex word).
    void arrived(pid_t pid, int slot, std::int64_t nowNs, int paceMs, pid_t tracedTid = 0);
    /// True when no process waits at its gate.
    bool empty() const { return m_gates.empty(); }
    /// Step: releases up to count (at least 1) of the processes held at their gates now, oldest first;
    /// returns how many it released. Nothing is remembered for later.
    int step(int count);
    /// What the runner says when a Step found nobody at a gate.
    static const char *whyStepDidNothing(bool everyLiveProcessBlocked);
    /// Releases the gate of pid only, if it is held there now; the others keep their order.
    void releaseProcess(pid_t pid);
    /// Paced: the next release is paceMs after nowNs.
    void restartPace(std::int64_t nowNs, int paceMs);
    /// Paced: when the next release is due (CLOCK_MONOTONIC ns).
    std::int64_t nextPaceNs() const { return m_nextPaceNs; }
    /// Releases what mode allows at nowNs.
    void releaseDue(RunMode mode, int paceMs, std::int64_t nowNs);

private:
    bool releaseOne();

    struct Gate {
        pid_t pid = 0;
        int slot = -1;
        pid_t tracedTid = 0;
    };

    SharedState *m_shared = nullptr;
    std::function<bool(pid_t)> m_releaseTraced;
    std::deque<Gate> m_gates; ///< held at their gates, oldest first
    std::int64_t m_nextPaceNs = 0;
};

} // namespace pipescope
