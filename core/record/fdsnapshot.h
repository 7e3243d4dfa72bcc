#pragma once

#include "core/run/procprobe.h"

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace pipescope
{

class RunState;

/// The fd tables of a run's live processes, read from /proc at one moment (an
/// fd-table line of a recording): what the live window's fd cards show, kept so
/// that a replay shows the kernel's tables too, not a guess from the events.
struct FdSnapshot {
    struct Table {
        pid_t pid = 0;
        std::vector<FdEntry> fds;
    };

    std::int64_t timeNs = 0; ///< CLOCK_MONOTONIC when read
    std::vector<Table> tables; ///< live processes only: an exited one has no table

    /// Reads every live process of the run now (exited and reaped ones are skipped).
    static FdSnapshot read(const RunState &state, std::int64_t timeNs);
    /// The same tables, whenever read.
    bool sameTables(const FdSnapshot &other) const;
    /// One JSON object, no newline; t_ns relative to startNs when it is set.
    std::string toJson(std::int64_t startNs) const;
};

} // namespace pipescope
