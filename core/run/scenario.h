#pragma once

#include "core/model/paramspec.h"
#include "core/model/paramvalues.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pipescope
{

class Tracee;

/// One lesson: a program run for real in the scenario's main process (role
/// "parent"), which forks and execs the rest of its tree through a Tracee.
class Scenario
{
public:
    virtual ~Scenario() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view description() const = 0;
    virtual std::vector<ParamSpec> params() const = 0;
    /// Checks that hold between parameters (each one alone is already valid).
    virtual std::optional<std::string> checkCombination(const ParamValues &) const { return std::nullopt; }
    /// The rules checkCombination enforces, one sentence each, so `list` and the
    /// parameter editor can show them before a run is refused.
    virtual std::vector<std::string> rules() const { return {}; }
    /// Runs in the scenario's main process; the return value is its exit status.
    virtual int run(Tracee &self, const ParamValues &params) const = 0;
};

/// A scenario picked by name with its parameters checked, or why not.
struct ResolvedScenario {
    const Scenario *scenario = nullptr;
    ParamValues params;
    std::string error; ///< empty on success
    bool ok() const { return error.empty(); }
};

/// Looks a scenario up by name and checks its "key=value" assignments. The
/// runner is handed one (the catalogue lives above it, in core/scenarios).
using ScenarioResolver
    = ResolvedScenario (*)(std::string_view name, const std::vector<std::pair<std::string, std::string>> &assignments);

} // namespace pipescope
