#pragma once

#include "core/model/event.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace pipescope
{

class RunState;

/// Builds Chrome Trace Event JSON (opens in Perfetto and chrome://tracing):
/// one lane per process, syscalls as slices with their real durations,
/// kernel observations as instant marks, and a counter track per pipe with
/// the bytes in it (written minus read, derived from the events).
class ChromeTrace
{
public:
    void add(const Event &event, const RunState &state);
    /// The whole document, compact.
    std::string toJson() const;

private:
    void nameLane(const Event &event, const RunState &state);
    void append(const std::string &object);

    std::string m_events; ///< the traceEvents array's members, comma-separated
    std::int64_t m_startNs = 0;
    int m_runnerPid = 0;
    std::set<int> m_named;
    std::map<std::uint64_t, std::int64_t> m_fill;
};

} // namespace pipescope
