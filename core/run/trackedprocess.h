#pragma once

#include "core/run/procprobe.h"

#include <sys/types.h>

#include <string>

namespace pipescope
{

/// What the runner knows about one process of the scenario's tree, watched from outside.
struct TrackedProcess {
    pid_t pid = 0;
    int pidfd = -1;
    int slot = -1;
    bool started = false; ///< it registered itself (ProcessStarted): instrumented from here on
    bool exited = false; ///< the kernel says it is gone or a zombie
    bool exitReported = false; ///< its Exited event was sent
    bool reaped = false; ///< its reap was reported (our Reaped event, or its parent's Wait event)
    int status = 0; ///< raw wait status, once known
    bool blocked = false;
    pid_t parent = 0;
    std::string role;
    std::string blockedText;
    ProcessProbe lastProbe;

    bool live() const { return !exited && !reaped; }
};

} // namespace pipescope
