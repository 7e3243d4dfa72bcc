#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pipescope
{

/// How the controller paces a run: gates open (Free), one gate released every
/// N ms (Paced), or one gate released per step command (Step; also "paused").
enum class RunMode : std::uint8_t { Free, Paced, Step };

const char *runModeName(RunMode mode);
std::optional<RunMode> runModeFromName(std::string_view name);

/// One command from the observer to the runner over the control pipe.
struct ControlMessage {
    enum Op : char { Step = 'S', StepProcess = 'T', Pace = 'P', Free = 'F', Hold = 'H', Cancel = 'C' };
    Op op = Step;
    std::int32_t arg = 0; ///< Step: how many; StepProcess: the pid; Pace: milliseconds between steps
};

/// The fds a runner process finds at start (set up by RunSession).
inline constexpr int kRunnerOutFd = 3; ///< events, runner -> observer
inline constexpr int kRunnerControlFd = 4; ///< ControlMessage records, observer -> runner
inline constexpr int kRunnerSharedFd = 5; ///< memfd holding SharedState

} // namespace pipescope
