#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace pipescope
{

/// text with every control character (a newline, carriage return, tab or escape
/// a user typed inside an argument) written as \xNN, so that a message echoing
/// it back stays exactly one line.
inline std::string escapeControls(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned>(byte));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace pipescope
