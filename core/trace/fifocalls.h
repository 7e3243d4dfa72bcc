#pragma once

#include "core/model/event.h"
#include "core/trace/fdtable.h"
#include "core/trace/tracedcall.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace pipescope
{

/// The calls that make a named pipe (mknod/mknodat with S_IFIFO: mkfifo) or
/// open one by its name (open/openat), decoded into the events a scenario's
/// FIFO makes (Mkfifo, Open). An open of anything else is no event and needs
/// no exit stop: its path is looked at (stat) at the entry, so only a FIFO's
/// open costs a second stop.
class FifoCalls
{
public:
    /// nr is one of the calls above (the seccomp filter traces them).
    static bool handles(int nr);
    /// At the entry stop: true when the call is about a FIFO and its result is needed.
    static bool enter(pid_t tid, pid_t tgid, TracedCall &call);
    /// At the exit stop of a call enter() kept: the event, and the new fd in the table.
    static void exit(pid_t tgid, FdTable &fds, TracedCall &call, std::int64_t rval, std::vector<Event> *out);
    /// The path a traced call names, as this process can reach it: relative
    /// to the tracee's cwd (/proc/TID/cwd) or to its dirfd (/proc/TGID/fd/N).
    static std::string reachable(pid_t tid, pid_t tgid, int dirfd, const std::string &path);
};

} // namespace pipescope
