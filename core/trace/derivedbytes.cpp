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

} // namespace pipescope
