#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"
#include "core/session/runsession.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pipescope::test
{

/// Drives one RunSession from a test: collects every event in order, folds
/// them into a RunState, and waits on the runner's pipe (never sleeps).
class RunHarness
{
public:
    bool start(const RunRequest &request);
    /// Looks at the events after the previous match, reading more as they come, until
    /// predicate(event) holds, the run ends, or timeoutMs passes. Returns the index, or -1.
    int waitFor(const std::function<bool(const Event &)> &predicate, int timeoutMs = 10000);
    /// Reads events until condition() holds (checked at once and after each batch); false on timeout.
    bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 10000);
    /// Reads until the run has finished (the runner was reaped); false on timeout.
    bool finish(int timeoutMs = 20000);

    /// Destroys the session (closing its pipes); the recorded events and state stay.
    void release() { m_session.reset(); }
    RunSession &session() { return *m_session; }
    const std::vector<Event> &events() const { return m_events; }
    const RunState &state() const { return m_state; }
    const std::string &error() const { return m_error; }
    std::vector<Event> eventsOf(EventKind kind) const;
    /// Every pid the run ever showed (runner included).
    std::vector<int> allPids() const;

private:
    bool pump(int timeoutMs);

    std::unique_ptr<RunSession> m_session;
    std::vector<Event> m_events;
    RunState m_state;
    std::string m_error;
    int m_runnerPid = 0;
    std::size_t m_cursor = 0; ///< first event the next waitFor looks at
};

/// Counts fds and checks children before and after a run.
struct ResourceSnapshot {
    int fds = 0;
    static ResourceSnapshot take();
};

/// True when no child of this process is left, not even a zombie (waitpid gives ECHILD).
bool noChildrenLeft();
/// After a released run: what it left behind (a child or zombie of ours, a process of
/// its tree still there, an fd more or less than before), one line each; empty when nothing.
std::string leftBehind(const RunHarness &run, const ResourceSnapshot &before);
/// True when the process no longer exists at all (kill(pid, 0) gives ESRCH).
bool processGone(int pid);
/// Waits (pidfd + poll, no sleeping) until pid is dead, a zombie counts as dead; false on timeout.
bool waitDead(int pid, int timeoutMs);

} // namespace pipescope::test
