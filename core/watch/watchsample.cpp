#include "core/watch/watchsample.h"

#include <algorithm>

namespace pipescope
{

const char *watchStateName(WatchState state)
{
    switch (state) {
    case WatchState::Running: return "running";
    case WatchState::BlockedWrite: return "blocked-write";
    case WatchState::BlockedRead: return "blocked-read";
    case WatchState::Sleeping: return "sleeping";
    case WatchState::Stopped: return "stopped";
    case WatchState::Exited: return "exited";
    }
    return "?";
}

const char *watchStateText(WatchState state)
{
    switch (state) {
    case WatchState::Running: return "running";
    case WatchState::BlockedWrite: return "blocked in write: pipe full";
    case WatchState::BlockedRead: return "blocked in read: pipe empty";
    case WatchState::Sleeping: return "sleeping";
    case WatchState::Stopped: return "stopped";
    case WatchState::Exited: return "exited";
    }
    return "?";
}

const char *byteBasisName(ByteBasis basis)
{
    switch (basis) {
    case ByteBasis::None: return "none";
    case ByteBasis::Readers: return "readers";
    case ByteBasis::Writers: return "writers";
    case ByteBasis::Both: return "both";
    }
    return "?";
}

const WatchedProcess *WatchSample::process(pid_t pid) const
{
    const auto it = std::find_if(processes.begin(), processes.end(), [&](const auto &p) { return p.pid == pid; });
    return it == processes.end() ? nullptr : &*it;
}

const WatchedPipe *WatchSample::pipe(std::uint64_t inode) const
{
    const auto it = std::find_if(pipes.begin(), pipes.end(), [&](const auto &p) { return p.inode == inode; });
    return it == pipes.end() ? nullptr : &*it;
}

int WatchSample::liveCount() const
{
    return static_cast<int>(
        std::count_if(processes.begin(), processes.end(), [](const auto &p) { return !p.exited(); }));
}

} // namespace pipescope
