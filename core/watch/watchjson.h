#pragma once

#include "core/watch/bottleneckfinder.h"
#include "core/watch/watchsample.h"

#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

/// Watch samples as JSON lines: one object per sample, a summary at the end.
/// Field names are stable (snake_case); -1 means unknown.
class WatchJson
{
public:
    /// {"type":"sample","seq":..,"t":seconds since startNs,"processes":[..],"pipes":[..],"bottleneck":{..}}
    static std::string sample(const WatchSample &s, std::int64_t startNs, const std::optional<Bottleneck> &bottleneck);
    /// {"type":"summary","seconds":..,"command_status":..,"processes":[..],"pipes":[..],"bottleneck":{..},
    /// "watcher_cpu_s":..,"exit_records_lost":true}
    /// commandStatus: the raw wait status of a command we started, or -1.
    /// watcherCpuSeconds: the watcher's own CPU time (user + system), left out when negative.
    /// exitRecordsLost: the kernel dropped exit records (counts_final false where one is missing).
    static std::string summary(const std::vector<WatchedProcess> &processes, const std::vector<WatchedPipe> &pipes,
        const std::optional<Bottleneck> &bottleneck, double seconds, int commandStatus, double watcherCpuSeconds = -1,
        bool exitRecordsLost = false);

    static std::string process(const WatchedProcess &p);
    static std::string pipe(const WatchedPipe &p);
    static std::string bottleneck(const Bottleneck &b);
};

} // namespace pipescope
