#pragma once

#include "core/model/event.h"
#include "core/trace/fdtable.h"

#include <sys/types.h>

#include <optional>
#include <string>

namespace pipescope
{

/// One traced process (thread group): its name, its fd table and how it ended.
struct TracedProcess {
    pid_t pid = 0;
    pid_t parent = 0;
    std::string role;
    FdTable fds;
    bool exited = false;
    bool reaped = false;
    int status = 0;
    std::optional<Event> failedExec; ///< held back: PATH search fails on the way to success
};

} // namespace pipescope
