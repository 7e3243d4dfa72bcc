#pragma once

#include "core/run/trackedprocess.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pipescope
{

struct SharedState;

/// The runner's watchdog: a run hangs when every live process waits in the
/// kernel and nothing moved (no event, no pipe counter) for the limit, counting
/// only time the run was running: while the lecturer has it paused or steps it,
/// the clock stands still. It also explains a hang: who waits on what, and who
/// holds the other end.
class HangWatch
{
public:
    using Processes = std::map<pid_t, TrackedProcess>;

    /// 0 or less: never fires.
    void setLimitMs(int ms) { m_limitMs = ms; }
    int limitMs() const { return m_limitMs; }
    /// Something moved (an event of the tree arrived): the clock starts again.
    void progress(std::int64_t nowNs);
    /// Running (Free, Paced) counts towards the limit; suspended (Step: paused or stepped) does not.
    void setRunning(bool running, std::int64_t nowNs);
    /// Running time since the last progress.
    std::int64_t stalledNs(std::int64_t nowNs) const;
    /// Looks at the pipe counters (a moving counter is progress) and says whether the limit has passed
    /// with every live process blocked.
    bool expired(const SharedState &shared, const Processes &processes, std::int64_t nowNs);

    /// True when there is a live process and every live one sleeps in the kernel.
    static bool allLiveBlocked(const Processes &processes);
    /// One line per blocked process: what it waits in, and who keeps the pipe's other end.
    static std::vector<std::string> describe(const Processes &processes);

private:
    static std::int64_t counterSum(const SharedState &shared);

    int m_limitMs = 0;
    bool m_running = true;
    std::int64_t m_stalledNs = 0; ///< running time without progress before m_runningSinceNs
    std::int64_t m_runningSinceNs = 0; ///< when the clock last started (progress or resume)
    std::int64_t m_lastCounterSum = -1;
};

} // namespace pipescope
