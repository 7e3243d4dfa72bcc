#pragma once

#include "core/model/event.h"
#include "core/trace/tracedcall.h"

#include <sys/types.h>

#include <optional>
#include <utility>

namespace pipescope
{

/// What /proc says about one traced task, for the tracer's bookkeeping.
class TaskProbe
{
public:
    /// Tgid and PPid from /proc/TID/status; zeros when it is gone.
    static std::pair<pid_t, pid_t> ids(pid_t tid);
    /// A Blocked event when the task sleeps in the kernel inside its call
    /// (state S, wchan such as anon_pipe_read), described as the runner does.
    static std::optional<Event> blocked(pid_t tid, pid_t tgid, const TracedCall &call);
};

} // namespace pipescope
