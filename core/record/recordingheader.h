#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pipescope
{

/// The first line of a recording (docs/recording-format.md): the format's
/// version, when and on which kernel the run was recorded, the platform's pipe
/// facts, what ran (a scenario with its parameters, or a traced program's argv)
/// and the code listing shown beside it.
struct RecordingHeader {
    /// The version this build writes and the newest it reads.
    static constexpr int kVersion = 2;
    /// The key that marks a file as a recording; its value is the version.
    static constexpr const char *kMagicKey = "pipescope_recording";

    int version = kVersion;
    std::string created; ///< ISO 8601, UTC: "2026-11-30T13:07:52Z"
    std::string kernel; ///< uname: "Linux 6.1.0-18-amd64"
    std::int64_t pipeCapacity = -1; ///< the kernel's default pipe capacity, bytes
    std::int64_t pipeBuf = -1; ///< PIPE_BUF, bytes
    std::int64_t pageSize = -1; ///< bytes
    std::string sourceKind; ///< "scenario" or "trace"
    std::string name; ///< the scenario's name (scenario)
    std::vector<std::pair<std::string, std::string>> params; ///< every parameter's value, defaults included
    std::vector<std::string> argv; ///< the traced program and its arguments (trace)
    std::string listing; ///< the scenario's C listing, every role's program one after another

    /// A scenario run recorded now on this machine: params as given (defaults are filled in).
    static RecordingHeader forScenario(
        const std::string &name, const std::vector<std::pair<std::string, std::string>> &params);
    /// A traced program recorded now on this machine.
    static RecordingHeader forTrace(const std::vector<std::string> &argv);
    /// Fills created, kernel and the pipe facts from this machine, now.
    void describeThisMachine();
    /// The header as one JSON object (no newline).
    std::string toJson() const;
    /// The listing text of a scenario's programs (empty for an unknown name).
    static std::string listingOf(const std::string &scenario);
};

} // namespace pipescope
