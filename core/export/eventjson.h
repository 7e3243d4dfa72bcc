#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pipescope
{

/// An event as a flat JSON object (the CLI's jsonl format, one per line).
class EventJson
{
public:
    /// One JSON object, no newline. Times are relative to startNs when it is set; `channel`
    /// (what the event's fd is an end of) words its line (EventFormat::call).
    static std::string toJson(
        const Event &event, std::int64_t startNs, std::string_view role, ChannelKind channel = ChannelKind::Pipe);
};

} // namespace pipescope
