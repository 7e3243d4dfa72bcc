#pragma once

#include "core/model/event.h"
#include "core/run/control.h"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pipescope
{

struct SharedState;

/// What to run and how.
struct RunRequest {
    std::string scenario;
    std::vector<std::pair<std::string, std::string>> assignments;
    RunMode mode = RunMode::Free;
    int paceMs = 0;
    int watchdogMs = 0;
    /// Wall time after which the runner stops the run whatever it does (OutcomeTimeLimit); 0: none.
    int timeLimitMs = 0;
    /// Every process also waits at its gate before it exits (quiz mode: see RunSession::setGateExits).
    bool gateExits = false;
    /// The pipescope-runner executable; empty: $PIPESCOPE_RUNNER, else next to this program.
    std::string runnerPath;
};

/// The observer's side of one run: starts a pipescope-runner process (so the
/// scenario's forks happen in a single-threaded process, whatever threads the
/// caller has), reads its events, sends it control commands, and maps the
/// shared counters. Destroying a session that is still running cancels it and
/// reaps the runner; the runner kills and reaps the scenario's tree.
///
/// Not thread-safe; use it from one thread, which must outlive the session
/// (the runner dies with the thread that started it, by PR_SET_PDEATHSIG).
class RunSession
{
public:
    /// Validates the request (no process is started on a bad one) and starts the runner.
    /// On failure returns null and sets error to one line naming the problem.
    static std::unique_ptr<RunSession> start(const RunRequest &request, std::string *error);
    ~RunSession();
    RunSession(const RunSession &) = delete;
    RunSession &operator=(const RunSession &) = delete;

    /// Readable when events are waiting (for poll or a QSocketNotifier).
    int eventFd() const { return m_eventFd; }
    /// Reads what is available without blocking; appends to out. Returns false at end of stream.
    bool readAvailable(std::vector<Event> *out);
    /// Blocks up to timeoutMs for events; returns false at end of stream.
    bool waitForEvents(std::vector<Event> *out, int timeoutMs);
    /// True once the runner reported RunFinished and exited.
    bool finished() const { return m_finished; }
    int outcome() const { return m_outcome; }
    pid_t runnerPid() const { return m_runnerPid; }
    pid_t scenarioGroup() const { return m_scenarioGroup; }
    std::int64_t startNs() const { return m_startNs; }

    void step(int count = 1);
    /// Releases the gate of one process only (if it is held there now).
    void stepProcess(pid_t pid);
    void setPace(int ms);
    void setFree();
    void hold();
    /// Quiz mode: a process also stops at its gate before it exits, so that
    /// nothing changes a pipe's ends while a question about it is on screen.
    void setGateExits(bool on);
    /// Asks the runner to kill and reap the tree; events keep coming until RunFinished.
    void cancel();
    /// Cancels if needed and waits (up to timeoutMs) for the end; then kills the
    /// runner and the scenario's process group outright. Always reaps the runner.
    void shutdown(int timeoutMs = 3000);

    /// The live counters (read-only use).
    const SharedState &shared() const { return *m_shared; }

    static std::string defaultRunnerPath();

private:
    RunSession() = default;
    void send(ControlMessage::Op op, int arg);
    void consume(std::vector<Event> *out, std::size_t from);
    void reapRunner(bool block);

    pid_t m_runnerPid = -1;
    int m_eventFd = -1;
    int m_controlFd = -1;
    SharedState *m_shared = nullptr;
    std::vector<char> m_buffer;
    bool m_eof = false;
    bool m_finished = false;
    bool m_runnerReaped = false;
    int m_outcome = -1;
    pid_t m_scenarioGroup = 0;
    std::int64_t m_startNs = 0;
};

} // namespace pipescope
