#include "core/run/runneroptions.h"

#include "core/model/paramvalues.h"

#include <cstdlib>

namespace pipescope
{

bool RunnerOptions::parse(int argc, char **argv, RunnerOptions *options, std::string *error)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--scenario" && hasValue) {
            options->scenario = argv[++i];
        } else if (arg == "--mode" && hasValue) {
            const auto mode = runModeFromName(argv[++i]);
            if (!mode) {
                *error = "unknown mode";
                return false;
            }
            options->mode = *mode;
        } else if (arg == "--pace" && hasValue) {
            options->paceMs = std::atoi(argv[++i]);
        } else if (arg == "--watchdog" && hasValue) {
            options->watchdogMs = std::atoi(argv[++i]);
        } else if (arg == "--time-limit" && hasValue) {
            options->timeLimitMs = std::atoi(argv[++i]);
        } else if (arg == "--parent" && hasValue) {
            options->expectedParent = std::atoi(argv[++i]);
        } else if (arg == "--set" && hasValue) {
            bool ok = false;
            options->assignments.push_back(ParamValues::splitAssignment(argv[++i], &ok));
            if (!ok) {
                *error = std::string("bad assignment ") + argv[i];
                return false;
            }
        } else {
            *error = "unknown argument " + arg;
            return false;
        }
    }
    if (options->scenario.empty()) {
        *error = "no scenario";
        return false;
    }
    return true;
}

} // namespace pipescope
