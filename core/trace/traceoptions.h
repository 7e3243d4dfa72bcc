#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pipescope
{

/// What to trace and how fast: the program's argv (found in PATH like execvp)
/// and whether traced processes are held before each pipe-related call.
struct TraceOptions {
    enum class Mode {
        Free, ///< full speed: calls run at once, events are only recorded
        Paced, ///< each pipe-related call waits paceMs at its entry first
        Step ///< each pipe-related call waits at its entry for the gate callback
    };
    std::vector<std::string> argv;
    Mode mode = Mode::Free;
    int paceMs = 0;
    /// Count-only: the seccomp filter lets every read, write, readv, writev,
    /// splice, tee, select and poll through without a stop (a classic filter
    /// cannot change its mind after the first calls, so none is seen at all);
    /// the bytes per pipe are derived from /proc/PID/io instead (IoLedger).
    /// Free mode only, and only for a program the tracer starts.
    bool countOnly = false;
    pid_t attachPid = 0; ///< Tracer::attach: the running process to take instead of argv
    bool followPipes = false; ///< attach: also every process holding an end of one of its pipes
};

} // namespace pipescope
