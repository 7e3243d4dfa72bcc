#pragma once

#include "core/model/event.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pipescope
{

/// A process's I/O counters as /proc/PID/io gives them: every byte its read-
/// and write-like calls moved (any file, not only pipes) and how many calls.
struct ProcIo {
    std::uint64_t rchar = 0;
    std::uint64_t wchar = 0;
    std::uint64_t syscr = 0;
    std::uint64_t syscw = 0;
};

/// The bytes of one pipe in count-only mode, derived from /proc/PID/io and
/// never counted per call: the counts of the processes that held its write end
/// at their stdout (written) and its read end at their stdin (read), taken over
/// exactly the time they held it. A side is unknown when another holder's
/// counts moved while it held that end (they could have gone anywhere).
struct PipeBytes {
    std::uint64_t inode = 0;
    bool fifo = false; ///< a FIFO opened by its name: named fifo:[N] as the run names it
    bool writtenKnown = false;
    bool readKnown = false;
    std::uint64_t written = 0; ///< the writers' wchar over their holding
    std::uint64_t read = 0; ///< the readers' rchar over their holding
    std::map<pid_t, std::uint64_t> writers; ///< the counted writers and their share
    std::map<pid_t, std::uint64_t> readers;
    /// The bytes through the pipe: the smaller of written and read when both
    /// are known (rchar and wchar include other files too), else the known one.
    bool known() const { return writtenKnown || readKnown; }
    std::uint64_t bytes() const;
    /// "writers and readers", "writers", "readers" or "unknown".
    std::string basis() const;
    /// The Note that reports it in the event stream (pid left to the caller):
    /// inode, requested = written, result = bytes (-1 when unknown), and a
    /// text that says they are derived from /proc/PID/io, not counted per call.
    Event note() const;
};

/// Everything count-only mode derives from /proc/PID/io at the end of a run.
struct DerivedBytes {
    std::vector<PipeBytes> pipes;
    std::map<pid_t, ProcIo> atExit; ///< each process's counters at its exit stop
};

} // namespace pipescope
