#pragma once

#include "core/watch/prochandle.h"
#include "core/watch/procreader.h"
#include "core/watch/watchsample.h"

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

/// What a process was doing at one look: its state and, when it waits on a
/// pipe, which end.
struct WaitInfo {
    WatchState state = WatchState::Running;
    std::string wchan; ///< kernel function it sleeps in, empty when running or unknown
    int blockedFd = -1; ///< BlockedWrite or BlockedRead: the fd it waits on, -1 when unknown
    std::optional<ProcCall> call; ///< the system call it was in, when it had to be read
};

/// Tells what a sampled process is doing from /proc/PID/stat's state letter,
/// /proc/PID/wchan and, only where those leave doubt, /proc/PID/syscall.
///
/// wchan alone misleads: the kernel answers 0 for a task that stat shows
/// asleep while it is still on a run queue (it just woke, or the scheduler
/// has not yet dequeued it, which EEVDF delays), and a process that holds
/// stray pipe ends inherited from a shell or make sleeps in pipe_write on
/// one of several. The system call it is in settles both.
class WaitProbe
{
public:
    /// First look, right after stat said `statState` (R, S, D, T, t, ...).
    static WaitInfo look(ProcHandle &process, char statState);
    /// With the pipe ends it holds (read after look): the pipe wait a silent
    /// wchan hid, and the fd of a pipe wait.
    static void resolve(pid_t pid, WaitInfo &info, const std::vector<WatchedEnd> &ends);
    /// The state a wchan names: pipe write or read, else sleeping.
    static WatchState sleepState(const std::string &wchan);
};

} // namespace pipescope
