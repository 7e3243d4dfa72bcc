#pragma once

#include <string>
#include <vector>

namespace pipescope::bench
{

/// One whole process, spawn to reap.
struct ProcessTimes {
    double wall = -1; ///< seconds from spawn to reap; -1 when it did not exit 0 (or could not start)
    double cpu = 0; ///< user + system of the process and of everything it waited for
};

/// CLOCK_MONOTONIC in seconds.
double nowSeconds();
/// Runs argv (argv[0] found in PATH) with stdout, and stderr too when
/// quietStderr, to /dev/null; times it from spawn to reap. CPU time comes
/// with it: on a loaded machine it moves less than wall time.
ProcessTimes timeProcess(const std::vector<std::string> &argv, bool quietStderr = false);
/// The middle value (the upper one of an even count); 0 for none.
double median(std::vector<double> values);

} // namespace pipescope::bench
