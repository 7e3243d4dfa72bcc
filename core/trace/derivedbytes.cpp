#include "core/trace/derivedbytes.h"

#include <algorithm>

namespace pipescope
{

std::uint64_t PipeBytes::bytes() const
{
    if (writtenKnown && readKnown)
        return std::min(written, read);
    return writtenKnown ? written : (readKnown ? read : 0);
}

std::string PipeBytes::basis() const
{
    if (writtenKnown && readKnown)
        return "writers and readers";
    if (writtenKnown)
        return "writers";
    return readKnown ? "readers" : "unknown";
}

Event PipeBytes::note() const
{
    Event e;
    e.kind = EventKind::Note;
    e.inode = inode;
    e.requested = writtenKnown ? static_cast<std::int64_t>(written) : -1;
    e.result = known() ? static_cast<std::int64_t>(bytes()) : -1;
    std::string text = (fifo ? "fifo:[" : "pipe:[") + std::to_string(inode) + "] ";
    text += known() ? std::to_string(bytes()) + " bytes" : std::string("bytes unknown");
    text += " derived from /proc/PID/io (" + basis() + "), not counted per call";
    e.setText(text);
    return e;
}

} // namespace pipescope
