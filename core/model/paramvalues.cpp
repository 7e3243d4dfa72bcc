#include "core/model/paramvalues.h"

#include "core/model/paramspec.h"

namespace pipescope
{

std::string ParamValues::text(const std::string &name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::string() : it->second;
}

std::int64_t ParamValues::integer(const std::string &name) const
{
    // Values were validated on the way in; a size parses as an int too when it has no suffix.
    return parseSize(text(name)).value_or(parseInt(text(name)).value_or(0));
}

bool ParamValues::flag(const std::string &name) const
{
    return parseBool(text(name)).value_or(false);
}

std::vector<std::string> ParamValues::toAssignments() const
{
    std::vector<std::string> out;
    for (const auto &[key, value] : m_values)
        out.push_back(key + "=" + value);
    return out;
}

std::pair<std::string, std::string> ParamValues::splitAssignment(std::string_view text, bool *ok)
{
    const auto eq = text.find('=');
    *ok = eq != std::string_view::npos && eq > 0;
    if (!*ok)
        return {std::string(text), {}};
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

} // namespace pipescope
