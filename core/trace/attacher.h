#pragma once

#include "core/model/event.h"
#include "core/trace/traceoptions.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace pipescope
{

/// The taking half of an attach (Tracer::attach): checks the target, then
/// seizes every thread of it, of its descendants and, with followPipes, of
/// the holders of their pipes, found again until none is new (a fork
/// meanwhile, before its parent was seized, is not missed).
class Attacher
{
public:
    struct Taken {
        pid_t pid = 0;
        pid_t ppid = 0;
        std::string role; ///< its program's name
        std::vector<pid_t> tids; ///< every thread, seized and interrupted
    };
    /// False, with one line in *problem and nothing done to any process, when
    /// options.attachPid is refused or cannot be seized. A process found later
    /// that cannot be seized gets a Note in *notes and is left alone.
    static bool attach(const TraceOptions &options, long ptraceOptions, std::vector<Taken> *taken,
        std::vector<Event> *notes, std::string *problem);
    /// Attached there is no seccomp filter: by syscall number, the calls whose
    /// entry stop is worth decoding (the filter's list).
    static std::vector<bool> tracedCalls();
};

} // namespace pipescope
