#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pipescope
{

/// Builds one JSON object as text, in the order its members are added. Plain
/// C++ so that the export formats live in the core and the command line needs
/// no JSON library; the strings it writes are always valid UTF-8 (a byte that
/// is not part of a valid sequence becomes U+FFFD, as a reader would show it).
class JsonWriter
{
public:
    JsonWriter &add(std::string_view key, std::int64_t value);
    JsonWriter &add(std::string_view key, int value) { return add(key, static_cast<std::int64_t>(value)); }
    JsonWriter &add(std::string_view key, double value);
    JsonWriter &add(std::string_view key, bool value);
    JsonWriter &add(std::string_view key, std::string_view value);
    JsonWriter &add(std::string_view key, const char *value) { return add(key, std::string_view(value)); }
    JsonWriter &add(std::string_view key, const std::string &value) { return add(key, std::string_view(value)); }
    /// A member whose value is already JSON text (an array or a nested object).
    JsonWriter &addRaw(std::string_view key, std::string_view json);
    /// The object, closed: "{...}".
    std::string str() const { return m_text + '}'; }

    /// `text` as a JSON string literal, quotes included.
    static std::string quote(std::string_view text);

private:
    void key(std::string_view key);

    std::string m_text = "{";
};

} // namespace pipescope
