#pragma once

#include "core/run/scenario.h"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pipescope
{

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
};

} // namespace pipescope
