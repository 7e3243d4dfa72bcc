#include "core/scenarios/scenariocatalog.h"

#include "core/run/scenario.h"
#include "core/scenarios/scenarios.h"

#include <algorithm>
#include <set>

namespace pipescope
{

const std::vector<const Scenario *> &ScenarioCatalog::all()
{
    static const std::vector<const Scenario *> list = allScenarios();
    return list;
}

const Scenario *ScenarioCatalog::find(std::string_view name)
{
    const auto &list = all();
    const auto it = std::find_if(list.begin(), list.end(), [&](const Scenario *s) { return s->name() == name; });
    return it == list.end() ? nullptr : *it;
}

ResolvedScenario ScenarioCatalog::resolve(
    std::string_view name, const std::vector<std::pair<std::string, std::string>> &assignments)
{
    ResolvedScenario out;
    out.scenario = find(name);
    if (!out.scenario) {
        std::string names;
        for (const Scenario *s : all())
            names += (names.empty() ? "" : ", ") + std::string(s->name());
        out.error = "unknown scenario " + quoteForMessage(name) + " (known: " + names + ")";
        return out;
    }
    const auto specs = out.scenario->params();
    for (const ParamSpec &spec : specs)
        out.params.set(spec.name, spec.defaultValue);
    std::set<std::string> given;
    for (const auto &[key, value] : assignments) {
        // Captured by an init-capture: clang before 16 cannot capture a structured binding.
        const auto spec
            = std::find_if(specs.begin(), specs.end(), [&name = key](const ParamSpec &p) { return p.name == name; });
        if (spec == specs.end()) {
            std::string keys;
            for (const ParamSpec &p : specs)
                keys += (keys.empty() ? "" : ", ") + p.name;
            out.error = "unknown parameter " + quoteForMessage(key) + " for scenario '" + std::string(name)
                + "' (known: " + (keys.empty() ? std::string("none") : keys) + ")";
            return out;
        }
        // A second value for a key is refused: silently taking either one hides a typo.
        if (!given.insert(key).second) {
            out.error = "parameter '" + key + "' is set more than once; give each parameter one value";
            return out;
        }
        if (auto problem = spec->validate(value)) {
            out.error = *problem;
            return out;
        }
        out.params.set(key, value);
    }
    if (auto problem = out.scenario->checkCombination(out.params))
        out.error = *problem;
    return out;
}

} // namespace pipescope
