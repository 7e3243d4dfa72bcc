#pragma once

#include "core/model/event.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace pipescope
{

/// What an attach finds in a running process, told as it is: the process
/// (ProcessStarted, named by its program) and a Note with its command line and
/// the pipe ends it already holds, "found at attach": no pipe, fork or dup
/// event is made up for what happened before PipeScope looked.
class AttachReport
{
public:
    /// Its command line from /proc/PID/cmdline, arguments joined by spaces ("" when gone).
    static std::string commandLine(pid_t pid);
    /// The events for process pid, whose parent is ppid.
    static std::vector<Event> found(pid_t pid, pid_t ppid, const std::string &role);
};

} // namespace pipescope
