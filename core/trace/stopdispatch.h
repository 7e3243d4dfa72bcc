#pragma once

#include "core/trace/syscallstops.h"
#include "core/trace/tracedtask.h"
#include "core/trace/tracetree.h"

#include <sys/types.h>

#include <functional>

namespace pipescope
{

/// The ptrace stops every tracer of a tree handles alike (pipescope-cli trace's
/// Tracer and the runner's ExecTracer): a call's entry or exit, a fork, an exec,
/// a group-stop, a signal for the program. Only a task's exit stop differs (one
/// detaches it, the other counts it), so that one is left to the tracer.
class StopDispatch
{
public:
    /// The task a stop of tid belongs to, adopted now when it is new; null when its
    /// parent is not known yet either and its stop is kept (tree.early()) for the fork event.
    static TracedTask *taskOf(TraceTree &tree, pid_t tid, int status);
    /// Handles one stop (WIFSTOPPED status) of task and resumes it where it goes on.
    /// `early` handles a new child's stop that came before its parent's fork event.
    /// Returns false, with the task still stopped, for its exit stop (PTRACE_EVENT_EXIT).
    static bool dispatch(TraceTree &tree, SyscallStops &stops, SyscallStops::Host &host, TracedTask &task, int status,
        const std::function<void(pid_t tid, int status)> &early);
};

} // namespace pipescope
