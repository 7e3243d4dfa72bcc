#pragma once

// Shared by the pitfall tests (tst_pitfalls_ends, tst_pitfalls_capacity): one
// scenario run driven through RunSession, and small predicates over its events.
#include "core/model/runstate.h"
#include "core/run/scenario.h"
#include "core/session/runsession.h"

#include <QMetaType>

#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pipescope::test
{

using Assignments = std::vector<std::pair<std::string, std::string>>;

inline std::int64_t nowMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

inline bool contains(std::string_view text, std::string_view needle)
{
    return text.find(needle) != std::string_view::npos;
}

inline bool processGone(pid_t pid)
{
    errno = 0;
    return kill(pid, 0) == -1 && errno == ESRCH;
}

/// One run driven through RunSession: every event in order, folded into a RunState.
class PitfallRun
{
public:
    bool start(const std::string &scenario, const Assignments &assignments, int watchdogMs = 0)
    {
        RunRequest request;
        request.scenario = scenario;
        request.assignments = assignments;
        request.watchdogMs = watchdogMs;
        m_session = RunSession::start(request, &m_error);
        if (m_session)
            m_runnerPid = m_session->runnerPid();
        return m_session != nullptr;
    }

    /// Reads events until one satisfies predicate (returns the index of the first such event,
    /// however early it came), the run ends, or the deadline passes (-1).
    int waitFor(const std::function<bool(const Event &)> &predicate, int timeoutMs = 10000)
    {
        const std::int64_t deadline = nowMs() + timeoutMs;
        for (std::size_t checked = 0;;) {
            for (; checked < m_events.size(); ++checked) {
                if (predicate(m_events[checked]))
                    return static_cast<int>(checked);
            }
            const std::int64_t left = deadline - nowMs();
            if (left <= 0 || m_session->finished())
                return -1;
            pump(static_cast<int>(std::min<std::int64_t>(left, 100)));
        }
    }

    bool finish(int timeoutMs = 20000)
    {
        const std::int64_t deadline = nowMs() + timeoutMs;
        while (!m_session->finished()) {
            const std::int64_t left = deadline - nowMs();
            if (left <= 0)
                return false;
            pump(static_cast<int>(std::min<std::int64_t>(left, 100)));
        }
        m_state.applyCounters(m_session->shared());
        return true;
    }

    /// Fresh byte counters (exact even at full speed) for the pipe with this inode.
    PipeInfo pipeNow(std::uint64_t inode)
    {
        m_state.applyCounters(m_session->shared());
        const PipeInfo *p = m_state.pipe(inode);
        return p ? *p : PipeInfo {};
    }

    void release() { m_session.reset(); }
    RunSession &session() { return *m_session; }
    const std::vector<Event> &events() const { return m_events; }
    const RunState &state() const { return m_state; }
    const std::string &error() const { return m_error; }
    pid_t runnerPid() const { return m_runnerPid; }

    std::vector<Event> eventsOf(EventKind kind) const
    {
        std::vector<Event> out;
        for (const Event &e : m_events) {
            if (e.kind == kind)
                out.push_back(e);
        }
        return out;
    }

    pid_t pidOf(const std::string &role) const
    {
        for (const ProcessInfo &p : m_state.processes()) {
            if (p.role == role)
                return p.pid;
        }
        return 0;
    }

    /// The watchdog's full text: its event, continued by the runner's notes right after it.
    std::string watchdogText() const
    {
        std::string text;
        bool inside = false;
        for (const Event &e : m_events) {
            if (e.kind == EventKind::Watchdog) {
                text = std::string(e.textView());
                inside = true;
            } else if (inside && e.kind == EventKind::Note && e.pid == m_runnerPid) {
                text += std::string(e.textView());
            } else if (inside) {
                break;
            }
        }
        return text;
    }

    /// The number after "interleavings: " in the reader's note, or -1.
    int interleavings() const
    {
        for (const Event &e : m_events) {
            const std::string_view text = e.textView();
            const auto pos = text.find("interleavings: ");
            if (e.kind == EventKind::Note && pos != std::string_view::npos)
                return std::atoi(std::string(text.substr(pos + 15)).c_str());
        }
        return -1;
    }

    /// Time of the last event a scenario process sent itself (the runner's watchdog clock restarts on each).
    std::int64_t lastTraceeEventNs() const
    {
        std::int64_t last = 0;
        for (const Event &e : m_events) {
            if (e.pid != m_runnerPid && e.kind != EventKind::Blocked && e.kind != EventKind::Woken
                && e.kind != EventKind::Exited && e.kind != EventKind::Reaped && e.kind != EventKind::Watchdog)
                last = std::max(last, e.timeNs);
        }
        return last;
    }

private:
    void pump(int timeoutMs)
    {
        std::vector<Event> batch;
        m_session->waitForEvents(&batch, timeoutMs);
        for (const Event &e : batch) {
            m_events.push_back(e);
            m_state.apply(e);
        }
        m_state.applyCounters(m_session->shared());
    }

    std::unique_ptr<RunSession> m_session;
    std::vector<Event> m_events;
    RunState m_state;
    std::string m_error;
    pid_t m_runnerPid = 0;
};

inline auto blockedIn(pid_t pid, const char *wchan)
{
    return [pid, wchan](const Event &e) {
        return e.kind == EventKind::Blocked && e.pid == pid && contains(e.textView(), wchan);
    };
}

inline auto kindIs(EventKind kind)
{
    return [kind](const Event &e) { return e.kind == kind; };
}

} // namespace pipescope::test

Q_DECLARE_METATYPE(pipescope::test::Assignments)
