#pragma once

#include "core/model/event.h"
#include "core/run/gatekeeper.h"
#include "core/run/hangwatch.h"
#include "core/run/runneroptions.h"
#include "core/run/scenario.h"
#include "core/run/trackedprocess.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pipescope
{

struct SharedState;

/// The single-threaded process that owns a scenario's process tree. It forks
/// the scenario's main process (so scenario code never runs after a fork in a
/// multi-threaded program), forwards every event to the observer in arrival
/// order, releases gates as the controller says, watches the tree from outside
/// (pidfd, /proc) and kills and reaps all of it on cancel, on a hang, or when
/// the observer dies.
class Runner
{
public:
    /// Entry point of the pipescope-runner executable; `resolve` finds a scenario by name.
    static int main(int argc, char **argv, ScenarioResolver resolve);

    Runner(RunnerOptions options, ScenarioResolver resolve);
    ~Runner();
    Runner(const Runner &) = delete;
    Runner &operator=(const Runner &) = delete;
    /// Runs the scenario to the end; returns the runner's exit status.
    int exec();

private:
    bool setUp(std::string *error);
    pid_t startScenario();
    void loop();
    void handleEvents();
    void handleControl();
    void handleSignals();
    void handleExit(TrackedProcess &t);
    void reapChildren(bool block);
    void checkWatchdog();
    void cancel(int outcome);
    void track(pid_t pid, int slot, const std::string &role);
    void send(Event &event);
    static bool noChildrenLeft();

    RunnerOptions m_options;
    ScenarioResolver m_resolve;
    SharedState *m_shared = nullptr;
    int m_eventRead = -1;
    int m_signalFd = -1;
    bool m_eventEof = false;
    bool m_controlOpen = true;
    pid_t m_mainPid = -1;
    int m_mainStatus = 0;
    int m_outcome = OutcomeOk;
    bool m_cancelled = false;
    std::uint64_t m_seq = 0;
    std::int64_t m_nextProbeNs = 0;
    std::map<pid_t, TrackedProcess> m_tracked;
    GateKeeper m_gates;
    HangWatch m_hangWatch;
};

} // namespace pipescope
