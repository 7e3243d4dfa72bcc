#include "core/export/jsonwriter.h"

#include <charconv>
#include <cmath>

namespace pipescope
{

namespace
{

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8Length(std::string_view s, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    std::uint32_t cp = c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

} // namespace

std::string JsonWriter::quote(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            ++i;
            continue;
        case '\\':
            out += "\\\\";
            ++i;
            continue;
        case '\n':
            out += "\\n";
            ++i;
            continue;
        case '\r':
            out += "\\r";
            ++i;
            continue;
        case '\t':
            out += "\\t";
            ++i;
            continue;
        default: break;
        }
        if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
            ++i;
            continue;
        }
        const std::size_t n = utf8Length(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD"; // U+FFFD
            ++i;
            continue;
        }
        out.append(text.substr(i, n));
        i += n;
    }
    out += '"';
    return out;
}

void JsonWriter::key(std::string_view key)
{
    if (m_text.size() > 1)
        m_text += ',';
    m_text += quote(key);
    m_text += ':';
}

JsonWriter &JsonWriter::add(std::string_view k, std::int64_t value)
{
    key(k);
    m_text += std::to_string(value);
    return *this;
}

JsonWriter &JsonWriter::add(std::string_view k, double value)
{
    key(k);
    if (!std::isfinite(value)) {
        m_text += "null"; // JSON has no NaN or infinity
        return *this;
    }
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value); // shortest text that reads back exactly
    m_text.append(buf, r.ptr);
    return *this;
}

JsonWriter &JsonWriter::add(std::string_view k, bool value)
{
    key(k);
    m_text += value ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::add(std::string_view k, std::string_view value)
{
    key(k);
    m_text += quote(value);
    return *this;
}

JsonWriter &JsonWriter::addRaw(std::string_view k, std::string_view json)
{
    key(k);
    m_text += json;
    return *this;
}

} // namespace pipescope
