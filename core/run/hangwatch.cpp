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
    m_lastProgressNs = nowNs;
}

bool HangWatch::expired(const SharedState &shared, const Processes &processes, std::int64_t nowNs)
{
    const std::int64_t sum = counterSum(shared);
    if (sum != m_lastCounterSum) {
        m_lastCounterSum = sum;
        progress(nowNs);
    }
    if (m_limitMs <= 0 || !allLiveBlocked(processes))
        return false;
    return nowNs - m_lastProgressNs >= std::int64_t {m_limitMs} * kMs;
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
