#pragma once

#include "core/model/event.h"
#include "core/run/trackedprocess.h"

#include <sys/types.h>

#include <map>
#include <vector>

namespace pipescope
{

struct SharedState;

/// Where the runner sees, from outside (/proc, pidfd), that a process sleeps in
/// the kernel or runs again, and how full the pipes are that nobody reports on.
class BlockWatch
{
public:
    /// Looks at every live process: appends a Blocked event for one that fell asleep in a syscall (with the
    /// bytes in the pipe a blocked writer waits on) and a Woken event for one that runs again.
    static void look(SharedState &shared, std::map<pid_t, TrackedProcess> &processes, std::vector<Event> *out);
    /// Raises each pipe's maxFill to its current fill (written - read), for full-speed runs.
    static void sampleFill(SharedState &shared);

private:
    static void measureFullPipe(SharedState &shared, const TrackedProcess &t, Event &e);
};

} // namespace pipescope
