#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"

#include <cstdint>
#include <string>

namespace pipescope
{

/// Human-readable renderings shared by the command line and the GUI's log.
class EventFormat
{
public:
    /// The call itself, strace-like: `write(4, "Hello", 5) = 5`. `channel` is what the event's fd
    /// is an end of: a socket's EOF, empty read or broken pipe is worded for a socket.
    static std::string call(const Event &event, ChannelKind channel = ChannelKind::Pipe);
    /// One log line: time since start, pid, role, call.
    static std::string line(
        const Event &event, std::int64_t startNs, const std::string &role, ChannelKind channel = ChannelKind::Pipe);
    /// What the event's fd is an end of, as the run knows it (a pipe when the run does not know it).
    static ChannelKind channelOf(const Event &event, const RunState &state);
    /// Per-pipe and per-process summary table at the end of a run.
    static std::string summary(const RunState &state);
    /// The socket pairs of a run, one row per direction (empty when there are none).
    static std::string socketSummary(const RunState &state);
    /// "exit 0", "killed by SIGPIPE" for a raw wait status.
    static std::string waitStatus(int status);
    /// errno name such as "EAGAIN".
    static std::string errnoName(int err);
    static std::string fdSet(const Event &event, bool ready);
};

} // namespace pipescope
