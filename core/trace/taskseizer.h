#pragma once

#include <sys/types.h>

#include <vector>

namespace pipescope
{

/// Takes every thread of a running process under ptrace (PTRACE_SEIZE, then
/// PTRACE_INTERRUPT so that each reports a stop): strace -p's way, listing
/// /proc/PID/task again until no new thread shows up.
class TaskSeizer
{
public:
    /// The thread ids seized, the main thread first; empty, with errno in
    /// *err, when the main thread could not be (then nothing was done to it).
    static std::vector<pid_t> seize(pid_t pid, long options, int *err);
};

} // namespace pipescope
