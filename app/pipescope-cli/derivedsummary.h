#pragma once

#include "core/model/runstate.h"
#include "core/trace/derivedbytes.h"

#include <sys/types.h>

#include <functional>
#include <string>

namespace pipescope
{

/// The text summary of `trace --count-only`: no read or write was stopped, so
/// the per-pipe table shows the bytes derived from /proc/PID/io (labelled as
/// such, with their basis) instead of counted ones, then every process's
/// final rchar and wchar and its exit status.
class DerivedSummary
{
public:
    /// name(pid): the process's name as the report writes it.
    static std::string text(
        const DerivedBytes &bytes, const RunState &state, const std::function<std::string(pid_t)> &name);
};

} // namespace pipescope
