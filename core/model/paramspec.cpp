#include "core/model/paramspec.h"

#include <charconv>
#include <limits>

namespace pipescope
{

const char *paramTypeName(ParamType type)
{
    switch (type) {
    case ParamType::Int: return "int";
    case ParamType::Size: return "size";
    case ParamType::Bool: return "bool";
    case ParamType::Text: return "text";
    }
    return "?";
}

std::optional<std::int64_t> parseInt(std::string_view text)
{
    std::int64_t value = 0;
    const char *end = text.data() + text.size();
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> parseSize(std::string_view text)
{
    std::int64_t multiplier = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 'k':
        case 'K': multiplier = std::int64_t {1} << 10; break;
        case 'm':
        case 'M': multiplier = std::int64_t {1} << 20; break;
        case 'g':
        case 'G': multiplier = std::int64_t {1} << 30; break;
        default: break;
        }
        if (multiplier != 1)
            text.remove_suffix(1);
    }
    const auto base = parseInt(text);
    if (!base || *base < 0 || *base > std::numeric_limits<std::int64_t>::max() / multiplier)
        return std::nullopt;
    return *base * multiplier;
}

std::optional<bool> parseBool(std::string_view text)
{
    if (text == "true" || text == "yes" || text == "1" || text == "on")
        return true;
    if (text == "false" || text == "no" || text == "0" || text == "off")
        return false;
    return std::nullopt;
}

std::string formatSize(std::int64_t bytes)
{
    static constexpr const char *kSuffix[] = {"G", "M", "K"};
    for (int i = 0; i < 3; ++i) {
        const std::int64_t unit = std::int64_t {1} << (10 * (3 - i));
        if (bytes != 0 && bytes % unit == 0)
            return std::to_string(bytes / unit) + kSuffix[i];
    }
    return std::to_string(bytes);
}

std::optional<std::string> ParamSpec::validate(std::string_view value) const
{
    const std::string quoted = "'" + std::string(value) + "'";
    switch (type) {
    case ParamType::Int: {
        const auto v = parseInt(value);
        if (!v)
            return name + ": " + quoted + " is not a whole number";
        if (*v < min || *v > max)
            return name + ": " + quoted + " is out of range (" + std::to_string(min) + " .. " + std::to_string(max)
                + ")";
        return std::nullopt;
    }
    case ParamType::Size: {
        const auto v = parseSize(value);
        if (!v)
            return name + ": " + quoted + " is not a size (bytes, or a number with K, M or G)";
        if (*v < min || *v > max)
            return name + ": " + quoted + " is out of range (" + formatSize(min) + " .. " + formatSize(max) + ")";
        return std::nullopt;
    }
    case ParamType::Bool:
        if (!parseBool(value))
            return name + ": " + quoted + " is not true or false";
        return std::nullopt;
    case ParamType::Text:
        if (static_cast<std::int64_t>(value.size()) < min || static_cast<std::int64_t>(value.size()) > max)
            return name + ": length " + std::to_string(value.size()) + " is out of range (" + std::to_string(min)
                + " .. " + std::to_string(max) + " characters)";
        return std::nullopt;
    }
    return std::nullopt;
}

std::string ParamSpec::boundsText() const
{
    switch (type) {
    case ParamType::Int: return std::to_string(min) + " .. " + std::to_string(max);
    case ParamType::Size: return formatSize(min) + " .. " + formatSize(max);
    case ParamType::Bool: return "true/false";
    case ParamType::Text: return std::to_string(min) + " .. " + std::to_string(max) + " chars";
    }
    return {};
}

} // namespace pipescope
