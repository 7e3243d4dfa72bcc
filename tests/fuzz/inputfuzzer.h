#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pipescope::fuzz
{

/// Feeds one input to the parsers of user input and checks what they answer:
/// an accepted input must satisfy the rules the parser promises (values within
/// their bounds, a known format, ...), a refused one must come with one clear
/// message (not empty, one line, valid UTF-8, as pipescope-cli prints it:
/// cliErrorLine escapes control characters). Each check returns what was
/// wrong, or nothing. Crashes and sanitizer findings end the process itself.
class InputFuzzer
{
public:
    using Assignments = std::vector<std::pair<std::string, std::string>>;

    /// ScenarioCatalog::resolve: scenario name and "key=value" pairs.
    static std::optional<std::string> checkAssignments(std::string_view scenario, const Assignments &assignments);
    /// One "key=value" text through ParamValues::splitAssignment, then resolve.
    static std::optional<std::string> checkAssignmentText(std::string_view scenario, std::string_view text);
    /// A whole command line (argv[0] first) through the parse step of the
    /// command named by argv[1] (run, trace or watch), as main would see it.
    static std::optional<std::string> checkCommandLine(const std::vector<std::string> &argv);
    /// libFuzzer's entry: the first byte picks the parser, the rest is split
    /// at NUL bytes into the arguments or assignments.
    static std::optional<std::string> checkBytes(const std::uint8_t *data, std::size_t size);
    /// One jsonl line through EventJsonReader (what the GUI reads back from
    /// `pipescope-cli trace --format jsonl`). An accepted line must be a fixed
    /// point: written again by EventJson and read again, it gives the same line.
    static std::optional<std::string> checkEventJsonLine(std::string_view line);
    /// Valid jsonl lines: one event of every kind, written by EventJson.
    static std::vector<std::string> seedEventJsonLines();
    /// A whole recording through RecordingReader (pipescope --replay). A refusal is one
    /// clear line starting "line N: "; an accepted file is applied, event by event and
    /// sample by sample, to a RunState exactly as the replay applies it.
    static std::optional<std::string> checkRecording(std::string_view contents);
    /// A valid recording: a header, one event of every kind, a counter sample.
    static std::string seedRecording();

    /// Why a refusal's message is not one clear line; nothing when it is.
    static std::optional<std::string> messageProblem(std::string_view message);
};

} // namespace pipescope::fuzz
