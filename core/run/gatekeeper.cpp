#include "core/run/gatekeeper.h"

#include "core/model/sharedstate.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace pipescope
{

namespace
{

constexpr std::int64_t kMs = 1000000;

void futexWake(std::atomic<std::uint32_t> *word)
{
    // Process-shared futex (no FUTEX_PRIVATE_FLAG): the word lives in a MAP_SHARED mapping.
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), FUTEX_WAKE, 1 << 30, nullptr, nullptr, 0);
}

} // namespace

void GateKeeper::arrived(pid_t pid, int slot, std::int64_t nowNs, int paceMs, pid_t tracedTid)
{
    m_gates.push_back({pid, slot, tracedTid});
    if (m_gates.size() == 1)
        restartPace(nowNs, paceMs);
}

int GateKeeper::step(int count)
{
    int released = 0;
    while (released < std::max(1, count) && releaseOne())
        ++released;
    return released;
}

const char *GateKeeper::whyStepDidNothing(bool everyLiveProcessBlocked)
{
    return everyLiveProcessBlocked ? "every process is asleep in the kernel; Step cannot wake them"
                                   : "nobody is at a gate yet";
}

void GateKeeper::restartPace(std::int64_t nowNs, int paceMs)
{
    m_nextPaceNs = nowNs + std::int64_t {paceMs} * kMs;
}

bool GateKeeper::releaseOne()
{
    while (!m_gates.empty()) {
        const Gate gate = m_gates.front();
        m_gates.pop_front();
        if (gate.tracedTid != 0) {
            if (m_releaseTraced && m_releaseTraced(gate.tracedTid))
                return true;
            continue;
        }
        const int slot = gate.slot;
        if (slot < 0 || slot >= SharedState::kMaxProcesses)
            continue;
        auto &held = m_shared->processes[slot].held;
        if (held.load() != 1)
            continue;
        held.store(0);
        futexWake(&held);
        return true;
    }
    return false;
}

void GateKeeper::releaseProcess(pid_t pid)
{
    const auto it = std::find_if(m_gates.begin(), m_gates.end(), [&](const Gate &g) { return g.pid == pid; });
    if (it == m_gates.end())
        return;
    // Move it to the front, so releaseOne takes it and the others keep their order.
    const auto gate = *it;
    m_gates.erase(it);
    m_gates.push_front(gate);
    releaseOne();
}

void GateKeeper::releaseDue(RunMode mode, int paceMs, std::int64_t nowNs)
{
    switch (mode) {
    case RunMode::Free:
        while (!m_gates.empty())
            releaseOne();
        break;
    case RunMode::Paced:
        if (!m_gates.empty() && nowNs >= m_nextPaceNs) {
            releaseOne();
            restartPace(nowNs, paceMs);
        }
        break;
    case RunMode::Step: break; // only step() and releaseProcess() open a gate
    }
}

} // namespace pipescope
