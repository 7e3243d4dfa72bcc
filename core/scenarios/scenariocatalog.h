#pragma once

#include "paramvalues.h"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pipescope
{

class Scenario;

/// A scenario picked by name with its parameters checked, or why not.
struct ResolvedScenario {
    const Scenario *scenario = nullptr;
    ParamValues params;
    std::string error; ///< empty on success
    bool ok() const { return error.empty(); }
};

/// The fixed list of scenarios, in teaching order.
class ScenarioCatalog
{
public:
    static const std::vector<const Scenario *> &all();
    static const Scenario *find(std::string_view name);
    /// Looks the scenario up, fills in defaults and validates every "key=value"
    /// assignment. Never runs anything.
    static ResolvedScenario resolve(
        std::string_view name, const std::vector<std::pair<std::string, std::string>> &assignments);
    /// Splits "key=value"; nothing in .second when there is no '='.
    static std::pair<std::string, std::string> splitAssignment(std::string_view text, bool *ok);
};

} // namespace pipescope
