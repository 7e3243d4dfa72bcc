#pragma once

#include "core/model/event.h"
#include "core/trace/fdtable.h"

#include <array>
#include <cstdint>
#include <vector>

namespace pipescope
{

/// One system call of one traced thread, from its seccomp stop (entry) to its
/// syscall-exit stop: what the entry saw, needed to make sense of the result.
struct TracedCall {
    int nr = -1;
    std::array<std::uint64_t, 6> args {};
    std::int64_t startNs = 0;
    /// The event this call will produce (Count_ for none): what a gate shows.
    EventKind produces = EventKind::Count_;
    int fd = -1; ///< the pipe fd it is about (for the gate)
    FdTarget target; ///< what args[0]'s fd (or the dup source) refers to
    FdTarget target2; ///< splice/tee's out fd, dup2's fd being replaced
    std::uint64_t cloneFlags = 0; ///< clone/clone3: CLONE_THREAD makes a thread, not a process
    std::vector<int> fds; ///< close_range: the pipe fds it closes
    std::vector<FdTarget> targets; ///< close_range: what they were
    Event event; ///< prefilled at entry: watched sets, exec text
};

} // namespace pipescope
