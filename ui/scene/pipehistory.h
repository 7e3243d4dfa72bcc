#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"
#include "ui/scene/scenelayout.h"

#include <QtGlobal>

#include <cstdint>
#include <map>
#include <set>

namespace pipescope
{

/// What the scene remembers about each pipe over the whole run. It replays
/// every event itself to learn which processes ever held which pipe end (a
/// batch can hide an fd that lived briefly), who wrote and read data, and
/// which process a pipe belongs to ("home"), which decide where it is drawn.
class PipeHistory
{
public:
    struct Entry {
        pid_t creator = 0;
        int home = -1; ///< process index, -1 shared or unknown
        bool homeFixed = false;
        std::set<pid_t> writersEver;
        std::set<pid_t> lastWriters;
        std::set<pid_t> lastReaders;
        std::set<pid_t> dataWriters; ///< processes seen writing into it
        std::set<pid_t> dataReaders;
        bool flowsRight = true;
        int towardsMain = 0; ///< +1: its own process writes, process 0 reads; -1: the other way; 0 unknown
        qint64 lastEventChunkMs = -10000;
        qint64 readyNs = -1; ///< time of the last select that found it readable
        qint64 sampledWritten = 0;
        qint64 sampledRead = 0;
    };

    /// True for events that open, close or move fds (or end a process, which closes them all).
    static bool changesFds(EventKind kind);

    /// Folds one event in, in the order of the run.
    void track(const Event &e);
    /// The entry of a pipe (created empty the first time).
    Entry &entry(std::uint64_t inode) { return m_entries[inode]; }
    const std::map<std::uint64_t, Entry> &entries() const { return m_entries; }
    /// The run replayed from every event so far.
    const RunState &replay() const { return m_replay; }
    /// The last gate pid was held at, or null.
    const Event *gate(pid_t pid) const;
    /// How long pid's last nanosleep asked for, in ms (0: none seen); a loop sleeps alike each time.
    int sleepMs(pid_t pid) const;
    /// Process 0 stands on the right when most other processes only feed it (a fan-in).
    SceneLayout::Flow flow() const;

private:
    void scanHolders();

    RunState m_replay;
    std::map<std::uint64_t, Entry> m_entries;
    std::map<pid_t, Event> m_gates;
    std::map<pid_t, int> m_sleepMs;
};

} // namespace pipescope
