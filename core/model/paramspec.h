#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pipescope
{

/// The type of a scenario parameter. paramSyntax() says, in one line each,
/// what a value of the type looks like; the parse functions below are those rules.
enum class ParamType { Int, Size, Bool, Text };

/// One typed, bounded parameter of a scenario, with its default.
struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Int;
    std::string defaultValue; ///< in the same syntax a user types
    std::int64_t min = 0; ///< Int/Size: inclusive bounds; Text: length bounds in bytes
    std::int64_t max = 0;
    std::string description;

    /// Checks one value; returns the error text (one line, starting with the
    /// parameter's name), or nothing when valid.
    std::optional<std::string> validate(std::string_view value) const;
    /// "1M .. 1G" style summary for listings.
    std::string boundsText() const;
};

const char *paramTypeName(ParamType type);
/// What a value of the type looks like, in one line, for `list` and the editor.
const char *paramSyntax(ParamType type);

/// Parses a size: decimal digits with an optional K, M or G suffix in either
/// case (binary multiples: 1024, 1024^2, 1024^3). No sign, fraction, spaces or
/// "KB"; nothing on bad syntax or when the bytes do not fit in 63 bits.
std::optional<std::int64_t> parseSize(std::string_view text);
/// Parses a decimal integer: digits, optionally after one '-' (no '+');
/// nothing on bad syntax or overflow.
std::optional<std::int64_t> parseInt(std::string_view text);
/// Parses true/false, yes/no, on/off, 1/0 in any case ("TRUE", "Off").
std::optional<bool> parseBool(std::string_view text);
/// Renders a byte count with the largest exact binary suffix ("65536" -> "64K").
std::string formatSize(std::int64_t bytes);
/// Why text is not strict UTF-8 (overlong forms, surrogates and code points past
/// U+10FFFF are invalid too; so is a NUL byte, which cannot cross an argv):
/// "byte 0xE9 at offset 3 is not valid UTF-8". Nothing when the text is valid.
std::optional<std::string> utf8Problem(std::string_view text);
/// A user's value for a one-line error message: in single quotes with control
/// characters as \xNN, or "the value" when it is not UTF-8.
std::string quoteForMessage(std::string_view value);

} // namespace pipescope
