#pragma once

#include "core/watch/bottleneckfinder.h"
#include "core/watch/watchsample.h"

#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

/// Watch samples as text for people: a compact block per sample (one line
/// per pipe: `sort -> head  12.0 MiB  95.1 MiB/s [#####.....] 32K/64K  running | blocked-read`)
/// and a summary that says how sure each count is.
class WatchText
{
public:
    /// The lines of one sample's display, without line ends.
    static std::vector<std::string> lines(const WatchSample &s, const std::optional<Bottleneck> &bottleneck);
    /// The summary after the watch ends. commandStatus: raw wait status of a
    /// command we started, or -1.
    static std::string summary(const std::vector<WatchedProcess> &processes, const std::vector<WatchedPipe> &pipes,
        const std::optional<Bottleneck> &bottleneck, double seconds, int commandStatus);

    /// What the summary's counts rest on, as a closing note (empty when every exit had its
    /// record): exit accounting unavailable (`problem` says why), or records the kernel dropped.
    static std::string accountingNote(bool accountingOpen, const std::string &problem, bool recordsLost);

    /// "12.0 MiB", "512 B"
    static std::string bytes(double n);
    /// "[#####.....]" of `width` cells; "[?]" padded when capacity is unknown.
    static std::string bar(std::int64_t fill, std::int64_t capacity, int width);
    /// "exited 0", "killed by SIGKILL" from a raw wait status.
    static std::string status(int rawStatus);
    /// A process's state in a few words, its exit status included.
    static std::string state(const WatchedProcess &p);
};

} // namespace pipescope
