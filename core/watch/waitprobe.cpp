#include "core/watch/waitprobe.h"

#include <algorithm>

namespace pipescope
{

WatchState WaitProbe::sleepState(const std::string &wchan)
{
    if (wchan == "anon_pipe_write" || wchan == "pipe_write")
        return WatchState::BlockedWrite;
    if (wchan == "anon_pipe_read" || wchan == "pipe_read")
        return WatchState::BlockedRead;
    return WatchState::Sleeping;
}

WaitInfo WaitProbe::look(ProcHandle &process, char statState)
{
    WaitInfo info;
    switch (statState) {
    case 'R': info.state = WatchState::Running; return info;
    case 'T':
    case 't': info.state = WatchState::Stopped; return info;
    case 'Z':
    case 'X': info.state = WatchState::Exited; return info;
    default: break;
    }
    info.wchan = process.wchan();
    if (info.wchan.empty()) {
        // Asleep by stat, silent by wchan: it woke in between, or it is still on
        // a run queue. Its system call says which, and once read, wchan answers.
        info.call = ProcReader::call(process.pid());
        if (info.call && info.call->running) {
            info.state = WatchState::Running;
            return info;
        }
        if (info.call)
            info.wchan = process.wchan();
    }
    info.state = sleepState(info.wchan);
    return info;
}

void WaitProbe::resolve(pid_t pid, WaitInfo &info, const std::vector<WatchedEnd> &ends)
{
    info.blockedFd = -1;
    if (info.state == WatchState::Sleeping && info.wchan.empty() && info.call && info.call->fd >= 0) {
        // Still no wchan, but asleep in a read or write of a pipe end it holds:
        // asleep in that pipe's read or write.
        const ProcCall &c = *info.call;
        if (std::any_of(
                ends.begin(), ends.end(), [&](const WatchedEnd &e) { return e.fd == c.fd && e.writeEnd == c.writes; }))
            info.state = c.writes ? WatchState::BlockedWrite : WatchState::BlockedRead;
    }
    if (info.state != WatchState::BlockedWrite && info.state != WatchState::BlockedRead)
        return;
    const bool write = info.state == WatchState::BlockedWrite;
    const auto ofDirection = [&](const WatchedEnd &e) { return e.writeEnd == write; };
    const auto count = std::count_if(ends.begin(), ends.end(), ofDirection);
    if (count == 1) {
        info.blockedFd = std::find_if(ends.begin(), ends.end(), ofDirection)->fd;
        return;
    }
    // Several ends of that direction (stray ones inherited): the call names the fd.
    if (count > 1 && !info.call)
        info.call = ProcReader::call(pid);
    if (info.call && info.call->fd >= 0 && info.call->writes == write
        && std::any_of(
            ends.begin(), ends.end(), [&](const WatchedEnd &e) { return ofDirection(e) && e.fd == info.call->fd; }))
        info.blockedFd = info.call->fd;
}

} // namespace pipescope
