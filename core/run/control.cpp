#include "core/run/control.h"

namespace pipescope
{

const char *runModeName(RunMode mode)
{
    switch (mode) {
    case RunMode::Free: return "free";
    case RunMode::Paced: return "paced";
    case RunMode::Step: return "step";
    }
    return "?";
}

std::optional<RunMode> runModeFromName(std::string_view name)
{
    if (name == "free")
        return RunMode::Free;
    if (name == "paced")
        return RunMode::Paced;
    if (name == "step")
        return RunMode::Step;
    return std::nullopt;
}

} // namespace pipescope
