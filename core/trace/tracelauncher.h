#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pipescope
{

/// Starts a program to be traced, libuv-style: argv, the PATH candidates and
/// the seccomp filter are built before fork; the child waits on a sync pipe
/// until the parent has PTRACE_SEIZEd it, installs the filter
/// (PR_SET_NO_NEW_PRIVS first) and execs; an exec failure comes back as errno
/// through a close-on-exec pipe, whose EOF means the exec succeeded.
class TraceLauncher
{
public:
    /// Returns the pid, seized and stopped at its PTRACE_EVENT_EXEC (the
    /// caller resumes it), or -1 with one line in *problem, the child reaped.
    /// countOnly: the filter without the data calls (SeccompFilter).
    static pid_t launch(
        const std::vector<std::string> &arguments, long ptraceOptions, std::string *problem, bool countOnly = false);
};

} // namespace pipescope
