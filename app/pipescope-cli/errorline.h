#pragma once

#include <cstdio>
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
    std::string line = "pipescope-cli: error: ";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned>(byte));
            line += escaped;
        } else {
            line += c;
        }
    }
    return line + "\n";
}

} // namespace pipescope
