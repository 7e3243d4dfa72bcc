#pragma once

#include "core/model/event.h"
#include "core/trace/fdtable.h"
#include "core/trace/tracedcall.h"

#include <sys/types.h>

#include <vector>

namespace pipescope
{

/// Turns one traced system call into PipeScope events, strace-style: the
/// entry (seccomp stop) reads the arguments and decides whether the result is
/// needed, the exit reads the result and the memory it filled. Calls on
/// anything that is not a pipe produce no event. Keeps the fd table current.
class SyscallDecoder
{
public:
    /// At the seccomp stop of thread tid in process tgid. Returns true when
    /// the tracer must stop the call at its exit too (PTRACE_SYSCALL).
    static bool enter(pid_t tid, pid_t tgid, FdTable &fds, TracedCall &call);
    /// At the syscall-exit stop: rval is the return value (-errno on error).
    static void exit(pid_t tid, pid_t tgid, FdTable &fds, TracedCall &call, std::int64_t rval, std::vector<Event> *out);
};

} // namespace pipescope
