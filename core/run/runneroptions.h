#pragma once

#include "core/run/control.h"

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace pipescope
{

/// What one runner process is asked to do: its command line, as RunSession builds it.
struct RunnerOptions {
    std::string scenario;
    std::vector<std::pair<std::string, std::string>> assignments;
    RunMode mode = RunMode::Free;
    int paceMs = 0;
    int watchdogMs = 0; ///< 0: no watchdog
    int timeLimitMs = 0; ///< wall time after which the run is stopped whatever it does; 0: none
    pid_t expectedParent = 0;

    /// Parses the runner's argv (built by RunSession); false with a message on error.
    static bool parse(int argc, char **argv, RunnerOptions *options, std::string *error);
};

} // namespace pipescope
