#pragma once

#include "core/run/control.h"

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <utility>

namespace pipescope
{

struct SharedState;

/// Where the runner holds a process at its gate. A process that reached its
/// gate (GateWait) sleeps on its futex word in the shared state; the keeper
/// queues it, oldest first, and releases it (clears the word, wakes the futex)
/// when the run mode says so: all at once (Free), one every pace (Paced), or
/// one per Step (Step). A Step is spent at once or not at all: one that finds
/// nobody at a gate is not kept for later, where it would release a burst.
class GateKeeper
{
public:
    /// The shared state holding the futex words; must be set before any release.
    void attach(SharedState *shared) { m_shared = shared; }
    /// A process reported GateWait: it waits at its gate until released.
    void arrived(pid_t pid, int slot, std::int64_t nowNs, int paceMs);
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

    SharedState *m_shared = nullptr;
    std::deque<std::pair<pid_t, int>> m_gates; ///< (pid, slot) held at their gates, oldest first
    std::int64_t m_nextPaceNs = 0;
};

} // namespace pipescope
