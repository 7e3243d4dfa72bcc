#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pipescope
{

/// The type of a scenario parameter. Sizes accept plain bytes or binary
/// suffixes (K, M, G = 1024, 1024^2, 1024^3).
enum class ParamType { Int, Size, Bool, Text };

/// One typed, bounded parameter of a scenario, with its default.
struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Int;
    std::string defaultValue; ///< in the same syntax a user types
    std::int64_t min = 0; ///< Int/Size: inclusive bounds; Text: length bounds
    std::int64_t max = 0;
    std::string description;

    /// Checks one value; returns the error text, or nothing when valid.
    std::optional<std::string> validate(std::string_view value) const;
    /// "1M (1 .. 1G)" style summary for listings.
    std::string boundsText() const;
};

const char *paramTypeName(ParamType type);

/// Parses "4096", "4K", "1M", "1G" (binary multiples); nothing on bad syntax or overflow.
std::optional<std::int64_t> parseSize(std::string_view text);
/// Parses a decimal integer (optional sign); nothing on bad syntax or overflow.
std::optional<std::int64_t> parseInt(std::string_view text);
/// Parses true/false/yes/no/1/0/on/off.
std::optional<bool> parseBool(std::string_view text);
/// Renders a byte count with the largest exact binary suffix ("65536" -> "64K").
std::string formatSize(std::int64_t bytes);

} // namespace pipescope
