#pragma once

#include "core/model/escapecontrols.h"

#include <string>
#include <string_view>

namespace pipescope
{

/// The line pipescope-cli prints for a refusal: "pipescope-cli: error: TEXT\n".
/// Control characters in TEXT (a newline, carriage return, tab or escape the
/// user typed inside an argument, echoed back by a message) are shown as \xNN,
/// so that every refusal is exactly one line whatever the arguments held.
inline std::string cliErrorLine(std::string_view text)
{
    return "pipescope-cli: error: " + escapeControls(text) + "\n";
}

} // namespace pipescope
