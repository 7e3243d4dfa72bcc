#include "core/model/paramspec.h"

#include "core/model/escapecontrols.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>

namespace pipescope
{

namespace
{

bool allDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

// Length of the UTF-8 sequence that starts at text[i], or 0 when it is not a
// valid one. The ranges are those of the Unicode standard, table 3-7.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0x01 && lead <= 0x7F)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead == 0xE0)
        length = 3, low = 0xA0; // below is an overlong form
    else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
        length = 3;
    else if (lead == 0xED)
        length = 3, high = 0x9F; // above are the UTF-16 surrogates
    else if (lead == 0xF0)
        length = 4, low = 0x90; // below is an overlong form
    else if (lead >= 0xF1 && lead <= 0xF3)
        length = 4;
    else if (lead == 0xF4)
        length = 4, high = 0x8F; // above is past U+10FFFF
    else
        return 0; // NUL, a continuation byte, 0xC0, 0xC1 or 0xF5 and up
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    }
    return length;
}

} // namespace

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

const char *paramSyntax(ParamType type)
{
    switch (type) {
    case ParamType::Int: return "a whole number in decimal digits, optionally after '-' (no '+', fraction or spaces)";
    case ParamType::Size:
        return "bytes: decimal digits with an optional K, M or G in either case, binary (1K = 1024, 1M = 1024K, "
               "1G = 1024M); no sign, fraction or spaces (1536M, not 1.5G)";
    case ParamType::Bool: return "true/false, yes/no, on/off or 1/0, in any case (TRUE, Off)";
    case ParamType::Text:
        return "UTF-8 text, sent as its bytes; bounds count bytes (\u00e9 is 2); invalid UTF-8 and NUL are refused";
    }
    return "?";
}

std::optional<std::int64_t> parseInt(std::string_view text)
{
    const std::string_view digits = !text.empty() && text.front() == '-' ? text.substr(1) : text;
    if (!allDigits(digits))
        return std::nullopt;
    std::int64_t value = 0;
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end)
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
    // Digits only: a size has no sign, so "+5" is refused like "-5".
    if (!allDigits(text))
        return std::nullopt;
    const auto base = parseInt(text);
    if (!base || *base > std::numeric_limits<std::int64_t>::max() / multiplier)
        return std::nullopt;
    return *base * multiplier;
}

std::optional<bool> parseBool(std::string_view text)
{
    for (const char *word : {"true", "yes", "on", "1"}) {
        if (equalsIgnoringCase(text, word))
            return true;
    }
    for (const char *word : {"false", "no", "off", "0"}) {
        if (equalsIgnoringCase(text, word))
            return false;
    }
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

std::optional<std::string> utf8Problem(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8SequenceLength(text, i);
        if (length == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
            return std::string("byte ") + hex + " at offset " + std::to_string(i)
                + (text[i] == '\0' ? " is a NUL byte" : " is not valid UTF-8");
        }
        i += length;
    }
    return std::nullopt;
}

std::string quoteForMessage(std::string_view value)
{
    // Only valid UTF-8 is echoed back: an error line must itself be valid text.
    if (utf8Problem(value))
        return "the value";
    return "'" + escapeControls(value) + "'";
}

std::optional<std::string> ParamSpec::validate(std::string_view value) const
{
    const auto badBytes = utf8Problem(value);
    const std::string quoted = quoteForMessage(value);
    switch (type) {
    case ParamType::Int: {
        const auto v = parseInt(value);
        if (!v)
            return name + ": " + quoted + " is not a whole number (decimal digits, optionally after '-')";
        if (*v < min || *v > max)
            return name + ": " + quoted + " is out of range (" + std::to_string(min) + " .. " + std::to_string(max)
                + ")";
        return std::nullopt;
    }
    case ParamType::Size: {
        const auto v = parseSize(value);
        if (!v)
            return name + ": " + quoted
                + " is not a size (whole bytes, or a whole number with K, M or G; no sign or fraction)";
        if (*v < min || *v > max)
            return name + ": " + quoted + " is out of range (" + formatSize(min) + " .. " + formatSize(max) + ")";
        return std::nullopt;
    }
    case ParamType::Bool:
        if (!parseBool(value))
            return name + ": " + quoted + " is not a boolean (true/false, yes/no, on/off or 1/0, in any case)";
        return std::nullopt;
    case ParamType::Text:
        // Sent as given, so refused when it is not text: nothing is silently replaced.
        if (badBytes)
            return name + ": " + *badBytes + "; parameter values take UTF-8 only";
        if (static_cast<std::int64_t>(value.size()) < min || static_cast<std::int64_t>(value.size()) > max)
            return name + ": length " + std::to_string(value.size()) + " bytes is out of range (" + boundsText()
                + " of UTF-8)";
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
    case ParamType::Text: return std::to_string(min) + " .. " + std::to_string(max) + " bytes";
    }
    return {};
}

} // namespace pipescope
