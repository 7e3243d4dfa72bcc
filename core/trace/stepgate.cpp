#include "core/trace/stepgate.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace pipescope
{

namespace
{

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

} // namespace

void StepGate::setMode(TraceOptions::Mode mode, int paceMs)
{
    m_mode = mode;
    m_paceMs = paceMs;
    // Full speed, or a new pace: the held process goes now (a pause keeps it).
    if (m_holding && mode != TraceOptions::Mode::Step)
        m_release = true;
}

void StepGate::setControl(int fd, std::function<void()> onReadable)
{
    m_controlFd = fd;
    m_onControl = std::move(onReadable);
}

void StepGate::serviceControl()
{
    if (m_onControl) {
        // The callback may drop the fd (and itself): keep it alive while it runs.
        const std::function<void()> callback = m_onControl;
        callback();
    }
}

void StepGate::releaseHeld()
{
    if (m_holding)
        m_release = true;
}

void StepGate::hold(const Event &gate, const std::atomic<bool> &cancel)
{
    m_holding = true;
    m_release = false;
    if (m_whileHeld)
        m_whileHeld();
    if (m_controlFd >= 0) {
        holdWithControl(cancel);
    } else if (m_mode == TraceOptions::Mode::Paced) {
        // The process really is stopped before its call while we wait.
        timespec ts {m_paceMs / 1000, static_cast<long>(m_paceMs % 1000) * 1000000};
        nanosleep(&ts, nullptr); // Ctrl+C cuts it short, which is what a user wants
    } else if (m_mode == TraceOptions::Mode::Step && m_prompt && !m_prompt(gate)) {
        m_mode = TraceOptions::Mode::Free;
    }
    m_holding = false;
    m_release = false;
}

void StepGate::holdWithControl(const std::atomic<bool> &cancel)
{
    const std::int64_t paceEnd = nowNs() + std::int64_t {m_paceMs} * 1000000;
    // EOF on the control fd means full speed: it drops the fd and releases.
    while (!m_release && !cancel.load() && m_controlFd >= 0) {
        int timeoutMs = -1; // step: until a command comes
        if (m_mode == TraceOptions::Mode::Free)
            return;
        if (m_mode == TraceOptions::Mode::Paced) {
            const std::int64_t left = paceEnd - nowNs();
            if (left <= 0)
                return;
            timeoutMs = static_cast<int>((left + 999999) / 1000000);
        }
        if (m_whileHeld) {
            timeoutMs = timeoutMs < 0 ? kWhileHeldMs : std::min(timeoutMs, kWhileHeldMs);
            m_whileHeld();
        }
        pollfd p {m_controlFd, POLLIN, 0};
        const int ready = poll(&p, 1, timeoutMs);
        if (ready > 0)
            serviceControl();
        else if (ready < 0 && errno != EINTR)
            return; // cannot wait on it: let the process go rather than hang
    }
}

} // namespace pipescope
