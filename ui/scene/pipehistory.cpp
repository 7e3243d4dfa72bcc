#include "ui/scene/pipehistory.h"

namespace pipescope
{

bool PipeHistory::changesFds(EventKind kind)
{
    switch (kind) {
    case EventKind::ProcessStarted:
    case EventKind::PipeCreated:
    case EventKind::Open:
    case EventKind::SocketPair:
    case EventKind::Fork:
    case EventKind::Dup2:
    case EventKind::Close:
    case EventKind::Exec:
    case EventKind::Exited:
    case EventKind::Reaped:
    case EventKind::Wait: return true;
    default: return false;
    }
}

int PipeHistory::sleepMs(pid_t pid) const
{
    const auto it = m_sleepMs.find(pid);
    return it == m_sleepMs.end() ? 0 : it->second;
}

const Event *PipeHistory::gate(pid_t pid) const
{
    const auto it = m_gates.find(pid);
    return it == m_gates.end() ? nullptr : &it->second;
}

void PipeHistory::track(const Event &e)
{
    m_replay.apply(e);
    if (e.kind == EventKind::GateWait)
        m_gates[e.pid] = e;
    if (e.kind == EventKind::Sleep)
        m_sleepMs[e.pid] = static_cast<int>(e.requested);
    // Which pipes a select found ready, by their fds now: later events of the batch may close them.
    if (e.kind == EventKind::Select && e.result > 0)
        if (const ProcessInfo *p = m_replay.process(e.pid))
            for (int fd = 0; fd < Event::kMaxFd; ++fd)
                if (Event::bit(e.ready, fd))
                    if (const auto it = p->fds.find(fd); it != p->fds.end())
                        m_entries[it->second.inode].readyNs = e.timeNs;
    if ((e.kind == EventKind::Write || e.kind == EventKind::Read) && e.result > 0 && e.inode) {
        // A socket pair's user is on the side of the end it used, whichever way its bytes went.
        const PipeInfo *channel = m_replay.pipe(e.inode);
        const std::uint64_t key = channel ? channel->inode : e.inode;
        const bool writeSide
            = channel ? channel->writeSide(e.inode, e.kind == EventKind::Write) : e.kind == EventKind::Write;
        (writeSide ? m_entries[key].dataWriters : m_entries[key].dataReaders).insert(e.pid);
    }
    if (changesFds(e.kind))
        scanHolders();
}

void PipeHistory::scanHolders()
{
    std::map<std::uint64_t, std::pair<std::set<pid_t>, std::set<pid_t>>> now; // writers, readers
    std::map<pid_t, int> index;
    for (const ProcessInfo &p : m_replay.processes()) {
        index[p.pid] = p.index;
        for (const auto &[fd, end] : p.fds) {
            const PipeInfo *channel = m_replay.pipe(end.inode);
            const std::uint64_t key = channel ? channel->inode : end.inode;
            const bool writeSide = channel ? channel->writeSide(end.inode, end.writeEnd) : end.writeEnd;
            (writeSide ? now[key].first : now[key].second).insert(p.pid);
        }
    }
    for (const PipeInfo &pipe : m_replay.pipes()) {
        Entry &h = m_entries[pipe.inode];
        h.creator = pipe.creator;
        const auto &[writers, readers] = now[pipe.inode];
        h.writersEver.insert(writers.begin(), writers.end());
        if (!writers.empty())
            h.lastWriters = writers;
        if (!readers.empty())
            h.lastReaders = readers;
        if (!h.homeFixed) {
            // Its home is the first other process to get hold of it: the child forked to use it.
            int best = -1;
            for (const pid_t pid : writers)
                if (pid != pipe.creator && (best < 0 || index[pid] < best))
                    best = index[pid];
            for (const pid_t pid : readers)
                if (pid != pipe.creator && (best < 0 || index[pid] < best))
                    best = index[pid];
            if (best >= 0) {
                h.home = best;
                h.homeFixed = true;
            }
        }
        // Which way it runs between its own process and process 0 (decides the picture's direction).
        if (h.home >= 1) {
            pid_t homePid = 0, mainPid = 0;
            for (const auto &[pid, i] : index) {
                if (i == h.home)
                    homePid = pid;
                if (i == 0)
                    mainPid = pid;
            }
            const bool homeW = writers.count(homePid), homeR = readers.count(homePid);
            const bool mainW = writers.count(mainPid), mainR = readers.count(mainPid);
            if (!h.dataWriters.empty())
                h.towardsMain = h.dataWriters.count(homePid) ? 1 : h.dataWriters.count(mainPid) ? -1 : h.towardsMain;
            else if ((homeW && !homeR) || (mainR && !mainW))
                h.towardsMain = 1;
            else if ((homeR && !homeW) || (mainW && !mainR))
                h.towardsMain = -1;
        }
        std::size_t otherWriters = h.writersEver.size() - h.writersEver.count(pipe.creator);
        if (otherWriters >= 2) // written by many children: it belongs to no single one
            h.home = -1;
    }
}

SceneLayout::Flow PipeHistory::flow() const
{
    // Process 0 stands on the right when most other processes only feed it (a fan-in).
    std::map<int, std::pair<int, int>> perProcess; // home -> (pipes towards 0, pipes from 0)
    for (const auto &[inode, h] : m_entries) {
        if (h.home < 1 || h.towardsMain == 0)
            continue;
        (h.towardsMain > 0 ? perProcess[h.home].first : perProcess[h.home].second)++;
    }
    int feeders = 0, fed = 0;
    for (const auto &[home, counts] : perProcess) {
        feeders += counts.first > 0 && counts.second == 0;
        fed += counts.second > 0 && counts.first == 0;
    }
    return feeders > fed ? SceneLayout::Flow::In : SceneLayout::Flow::Out;
}

} // namespace pipescope
