#pragma once

#include "core/model/event.h"
#include "core/watch/watchsample.h"

#include <cstdint>
#include <map>
#include <vector>

namespace pipescope
{

/// Turns successive watch samples into the model's events, only where they
/// say what a sample can honestly say (a watched process is never traced):
/// ProcessStarted when a process is first seen (not when it was born; text =
/// its name, otherPid = its parent), Blocked and Woken when its sampled state
/// changes (text = wchan; fd and inode of its one pipe end in that direction
/// when it has exactly one, else -1 and 0; requested = -1: the syscall is not
/// read), Exited when it is gone (status = raw wait status, or -1 when nobody
/// here could learn it). Changes between two samples are not seen.
class WatchEvents
{
public:
    /// The events since the previous sample, in pid order, seq numbered on from the last.
    std::vector<Event> next(const WatchSample &sample);

private:
    std::map<pid_t, WatchState> m_last;
    std::uint64_t m_seq = 0;
};

} // namespace pipescope
