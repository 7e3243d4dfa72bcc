#pragma once

#include <linux/filter.h>

#include <vector>

namespace pipescope
{

/// The seccomp-bpf program a traced child installs before exec: it returns
/// SECCOMP_RET_TRACE (a stop for the tracer) only for the calls that can touch
/// a pipe or the process tree, and SECCOMP_RET_ALLOW for everything else, so
/// that a program pays for ptrace only where PipeScope looks.
class SeccompFilter
{
public:
    /// The traced system call numbers of this architecture; countOnly leaves
    /// out the data calls (read, write, readv, writev, splice, tee) and select/poll.
    static std::vector<int> tracedSyscalls(bool countOnly = false);
    /// The BPF instructions; build them before fork (the child must not allocate).
    static std::vector<sock_filter> program(bool countOnly = false);
};

} // namespace pipescope
