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
    bool exited = false;
    bool reaped = false;
    bool blocked = false;
    pid_t parent = 0;
    std::string role;
    std::string blockedText;
    ProcessProbe lastProbe;

    bool live() const { return !exited && !reaped; }
};

} // namespace pipescope
