#pragma once

#include "core/model/event.h"
#include "core/record/countersample.h"
#include "core/record/fdsnapshot.h"
#include "core/record/recordingheader.h"

#include <QString>

#include <vector>

namespace pipescope
{

/// A recording read back (RecordingReader): its header and its lines in order,
/// each an event or a counter sample, ready to be applied to a RunState.
struct Recording {
    /// One line after the header: an event, a counter sample or the fd tables at one moment.
    struct Step {
        bool isSample = false;
        bool isFds = false;
        Event event; ///< when neither isSample nor isFds
        QString role; ///< the event line's "role"
        CounterSample sample; ///< when isSample
        FdSnapshot fds; ///< when isFds
        bool isEvent() const { return !isSample && !isFds; }
        std::int64_t timeNs() const { return isSample ? sample.timeNs : isFds ? fds.timeNs : event.timeNs; }
    };

    RecordingHeader header;
    std::vector<Step> steps;
    int eventCount = 0; ///< steps that are events
};

} // namespace pipescope
