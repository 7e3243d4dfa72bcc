#pragma once

#include "core/run/control.h"
#include "core/model/event.h"
#include "core/run/procprobe.h"
#include "core/run/scenario.h"

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
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
    struct Options {
        std::string scenario;
        std::vector<std::pair<std::string, std::string>> assignments;
        RunMode mode = RunMode::Free;
        int paceMs = 0;
        int watchdogMs = 0; ///< 0: no watchdog
        pid_t expectedParent = 0;
    };

    /// Parses the runner's argv (built by RunSession); false with a message on error.
    static bool parseArguments(int argc, char **argv, Options *options, std::string *error);
    /// Entry point of the pipescope-runner executable; `resolve` finds a scenario by name.
    static int main(int argc, char **argv, ScenarioResolver resolve);

    Runner(Options options, ScenarioResolver resolve);
    ~Runner();
    Runner(const Runner &) = delete;
    Runner &operator=(const Runner &) = delete;
    /// Runs the scenario to the end; returns the runner's exit status.
    int exec();

private:
    struct Tracked {
        pid_t pid = 0;
        int pidfd = -1;
        int slot = -1;
        bool exited = false;
        bool reaped = false;
        bool blocked = false;
        pid_t parent = 0;
        std::string role;
        std::string blockedText;
        ProcessProbe lastProbe;
    };

    bool setUp(std::string *error);
    pid_t startScenario();
    void loop();
    void handleEvents();
    void handleControl();
    void handleSignals();
    void handleExit(Tracked &t);
    void reapChildren(bool block);
    void probeProcesses();
    void measureFullPipe(const Tracked &t, Event &e);
    void sampleFill();
    void releaseGates();
    void releaseOne();
    void releaseProcess(pid_t pid);
    void checkWatchdog();
    void cancel(int outcome);
    void track(pid_t pid, int slot, const std::string &role);
    void send(Event &event);
    std::vector<std::string> describeHang();
    bool allLiveBlocked() const;
    static bool noChildrenLeft();
    std::int64_t counterSum() const;

    Options m_options;
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
    std::int64_t m_lastProgressNs = 0;
    std::int64_t m_lastCounterSum = -1;
    std::int64_t m_nextPaceNs = 0;
    std::int64_t m_nextProbeNs = 0;
    int m_stepCredits = 0;
    std::map<pid_t, Tracked> m_tracked;
    std::deque<std::pair<pid_t, int>> m_gates; ///< processes held at their gates, oldest first
};

} // namespace pipescope
