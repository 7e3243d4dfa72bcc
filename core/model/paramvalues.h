#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pipescope
{

/// Validated parameter values of one scenario run, keyed by parameter name.
/// Values keep the user's syntax ("4K"); typed getters convert.
class ParamValues
{
public:
    void set(const std::string &name, const std::string &value) { m_values[name] = value; }
    bool has(const std::string &name) const { return m_values.count(name) != 0; }
    std::string text(const std::string &name) const;
    /// Int or Size parameters (sizes accept K/M/G).
    std::int64_t integer(const std::string &name) const;
    bool flag(const std::string &name) const;
    const std::map<std::string, std::string> &all() const { return m_values; }
    /// "key=value" strings, suitable for a command line.
    std::vector<std::string> toAssignments() const;
    /// Splits "key=value"; nothing in .second when there is no '='.
    static std::pair<std::string, std::string> splitAssignment(std::string_view text, bool *ok);

private:
    std::map<std::string, std::string> m_values;
};

} // namespace pipescope
