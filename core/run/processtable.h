#pragma once

#include "core/model/event.h"
#include "core/run/trackedprocess.h"

#include <sys/types.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pipescope
{

/// Every process of the scenario's tree the runner knows, each with a pidfd
/// (a pid may be reused, a pidfd cannot), and the bookkeeping that makes each
/// one's end come out exactly once and in order: one Exited event, then one
/// reap (our Reaped event, or its parent's own Wait event).
///
/// The methods that end a process return the events to send; the caller first
/// forwards whatever the tree still has in the telemetry pipe, so that a
/// process's Exited always comes after its own events.
class ProcessTable
{
public:
    using Map = std::map<pid_t, TrackedProcess>;

    ProcessTable() = default;
    ~ProcessTable();
    ProcessTable(const ProcessTable &) = delete;
    ProcessTable &operator=(const ProcessTable &) = delete;

    Map &processes() { return m_processes; }
    const Map &processes() const { return m_processes; }
    /// Adds a process (opening its pidfd) or updates its slot and role; empty role or slot -1 keep the old.
    TrackedProcess &track(pid_t pid, int slot, const std::string &role);
    /// Processes not yet known to have exited, with a pidfd to poll: (pid, pidfd).
    std::vector<std::pair<pid_t, int>> pidfdsToWatch() const;
    int liveCount() const;
    /// SIGKILL through every open pidfd (reaches processes that left the process group).
    void killAll();

    /// The pidfd of pid became readable: it has exited. Events saying so, or none when its reaper will tell.
    std::vector<Event> pidfdReadable(pid_t pid, bool cancelled);
    /// Its parent's waitpid collected it (a Wait event that is sent right after these).
    std::vector<Event> collectedByParent(pid_t pid, int status);
    /// The runner reaped it (its own child, or an orphan of the tree).
    std::vector<Event> reapedBy(pid_t pid, int status, pid_t reaper);
    /// At the end of the run, when no process is left: the processes whose reap nobody reported were
    /// reaped by a parent that could not say so (killed inside waitpid, or a program without instrumentation).
    std::vector<Event> sweep(bool cancelled);

private:
    static void closePidfd(TrackedProcess &t);
    static void exitEvent(TrackedProcess &t, int status, std::vector<Event> *out);
    static void reapEvent(TrackedProcess &t, int status, pid_t reaper, std::vector<Event> *out);

    Map m_processes;
};

} // namespace pipescope
