#include "core/watch/watchevents.h"

#include <algorithm>

namespace pipescope
{

namespace
{

bool waiting(WatchState s)
{
    return s == WatchState::BlockedRead || s == WatchState::BlockedWrite || s == WatchState::Sleeping;
}

} // namespace

std::vector<Event> WatchEvents::next(const WatchSample &sample)
{
    std::vector<Event> out;
    const auto emit = [&](EventKind kind, const WatchedProcess &p) -> Event & {
        Event e;
        e.seq = m_seq++;
        e.timeNs = sample.timeNs;
        e.startNs = sample.timeNs;
        e.kind = kind;
        e.pid = p.pid;
        out.push_back(e);
        return out.back();
    };
    std::map<pid_t, WatchState> now;
    for (const WatchedProcess &p : sample.processes) {
        now[p.pid] = p.state;
        const auto before = m_last.find(p.pid);
        const bool known = before != m_last.end();
        if (known && before->second == WatchState::Exited)
            continue;
        if (!known && !p.exited()) {
            Event &e = emit(EventKind::ProcessStarted, p);
            e.otherPid = p.ppid;
            e.setText(p.name);
        }
        const WatchState was = known ? before->second : WatchState::Running;
        if (p.exited()) {
            if (known) {
                Event &e = emit(EventKind::Exited, p);
                e.status = p.statusKnown ? p.exitStatus : -1;
            }
        } else if (waiting(p.state) && (!waiting(was) || was != p.state)) {
            Event &e = emit(EventKind::Blocked, p);
            e.setText(p.wchan);
            e.requested = -1;
            // The pipe it waits on: the fd /proc named, or else the only end of that direction.
            const bool write = p.state == WatchState::BlockedWrite;
            const auto ofDirection = [&](const WatchedEnd &end) { return end.writeEnd == write; };
            auto end = std::find_if(p.ends.begin(), p.ends.end(),
                [&](const WatchedEnd &end) { return ofDirection(end) && end.fd == p.blockedFd; });
            if (p.blockedFd < 0 && std::count_if(p.ends.begin(), p.ends.end(), ofDirection) == 1)
                end = std::find_if(p.ends.begin(), p.ends.end(), ofDirection);
            if (p.state != WatchState::Sleeping && end != p.ends.end()) {
                e.fd = end->fd;
                e.inode = end->inode;
            }
        } else if (p.state == WatchState::Running && waiting(was)) {
            emit(EventKind::Woken, p);
        }
    }
    m_last = std::move(now);
    return out;
}

} // namespace pipescope
