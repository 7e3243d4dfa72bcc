#include "core/run/hangwatch.h"

#include "core/model/sharedstate.h"

#include <algorithm>

namespace pipescope
{

namespace
{
constexpr std::int64_t kMs = 1000000;
} // namespace

void HangWatch::progress(std::int64_t nowNs)
{
    m_stalledNs = 0;
    m_runningSinceNs = nowNs;
}

void HangWatch::setRunning(bool running, std::int64_t nowNs)
{
    if (running == m_running)
        return;
    if (!running)
        m_stalledNs += nowNs - m_runningSinceNs;
    m_runningSinceNs = nowNs;
    m_running = running;
}

std::int64_t HangWatch::stalledNs(std::int64_t nowNs) const
{
    return m_stalledNs + (m_running ? nowNs - m_runningSinceNs : 0);
}

bool HangWatch::expired(const SharedState &shared, const Processes &processes, std::int64_t nowNs)
{
    // The first look only takes the counters' baseline; after that, a counter that moved is progress.
    const std::int64_t sum = counterSum(shared);
    if (m_lastCounterSum >= 0 && sum != m_lastCounterSum)
        progress(nowNs);
    m_lastCounterSum = sum;
    if (m_limitMs <= 0 || !allLiveBlocked(processes))
        return false;
    return stalledNs(nowNs) >= std::int64_t {m_limitMs} * kMs;
}

std::int64_t HangWatch::counterSum(const SharedState &shared)
{
    std::int64_t sum = 0;
    const int n = std::min(shared.pipeCount.load(), SharedState::kMaxPipes);
    for (int i = 0; i < n; ++i)
        sum += shared.pipes[i].written.load() + shared.pipes[i].read.load();
    return sum;
}

bool HangWatch::allLiveBlocked(const Processes &processes)
{
    bool any = false;
    for (const auto &[pid, t] : processes) {
        if (!t.live())
            continue;
        if (!t.blocked)
            return false;
        any = true;
    }
    return any;
}

std::vector<std::string> HangWatch::describe(const Processes &processes)
{
    std::vector<std::string> lines;
    for (const auto &[pid, t] : processes) {
        if (t.exited || !t.blocked)
            continue;
        std::string text = std::to_string(pid) + " (" + t.role + ") " + t.blockedText;
        // Name who keeps the pipe open that a blocked reader waits on, and who
        // holds the read end that a blocked writer waits for (a deadlock's other half).
        const bool reading = t.lastProbe.wchan.find("pipe_read") != std::string::npos;
        if (!reading && t.lastProbe.wchan.find("pipe_write") == std::string::npos) {
            lines.push_back(text);
            continue;
        }
        std::uint64_t inode = 0;
        for (const FdEntry &fd : ProcProbe::fdTable(pid)) {
            if (fd.fd == t.lastProbe.arg0)
                inode = fd.pipeInode;
        }
        for (const auto &[other, o] : processes) {
            if (o.exited || inode == 0)
                continue;
            for (const FdEntry &fd : ProcProbe::fdTable(other)) {
                if (fd.pipeInode == inode && (reading ? fd.writeEnd : fd.readEnd))
                    text += (reading ? ", write end kept open by " : ", read end held by ") + std::to_string(other)
                        + " (" + o.role + ") fd " + std::to_string(fd.fd);
            }
        }
        lines.push_back(text);
    }
    return lines;
}

} // namespace pipescope
