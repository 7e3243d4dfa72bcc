#pragma once

#include <sys/types.h>

#include <cstdint>

namespace pipescope
{

/// How full one pipe is, measured from outside without touching its data.
struct PipeLevel {
    std::int64_t fill = -1; ///< bytes waiting in it (FIONREAD)
    std::int64_t capacity = -1; ///< its buffer size (F_GETPIPE_SZ)
};

/// Takes a copy of one end of a pipe from the process holding it
/// (pidfd_open + pidfd_getfd), asks the kernel how full the pipe is and closes
/// the copy at once: an end held open would delay the other side's EOF or
/// EPIPE. Nothing is read or written, and the process is never stopped.
class PipeGauge
{
public:
    /// fill and capacity stay -1 when the process has gone or we may not copy
    /// its fd (pidfd_getfd needs the right to ptrace it).
    static PipeLevel measure(pid_t pid, int fd);
    /// The same through a pidfd the caller keeps (ProcHandle::pidfd), which
    /// saves opening one per measurement; the capacity (F_GETPIPE_SZ) only
    /// when `withCapacity`, for a caller that knows it already.
    static PipeLevel measureVia(int pidfd, int fd, bool withCapacity);
};

} // namespace pipescope
