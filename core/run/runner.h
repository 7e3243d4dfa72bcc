#pragma once

#include "core/model/event.h"
#include "core/run/exectracer.h"
#include "core/run/fifosweeper.h"
#include "core/run/gatekeeper.h"
#include "core/run/hangwatch.h"
#include "core/run/processtable.h"
#include "core/run/runneroptions.h"
#include "core/run/scenario.h"

#include <sys/types.h>

#include <cstdint>
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
    /// Reads and forwards up to limit events from the tree (0: all there are).
    void handleEvents(int limit);
    void readEvents(int limit);
    /// One event of the tree (traced: it comes from the ExecTracer): bookkeeping, then forwarded.
    void accept(Event &e, bool traced);
    /// A scenario process is about to exec: trace the program (seize it). False when it
    /// could be traced but ptrace refused: m_untracedNote says why.
    bool traceExec(Event &e);
    /// Forwards every event the tree has written so far, unless called while forwarding them.
    void drainEvents();
    void handleControl();
    void handleSignals();
    void step(int count);
    void reapChildren(bool block);
    /// Sends Blocked / Woken events from a fresh look at /proc.
    void lookAtProcesses();
    void checkWatchdog();
    /// Stops the run once its wall-time limit (--time-limit) has passed, whatever it does.
    void checkTimeLimit();
    void cancel(int outcome);
    void send(Event &event);
    void report(std::vector<Event> events);
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
    std::int64_t m_deadlineNs = 0; ///< when the time limit ends the run; 0: no limit
    bool m_readingEvents = false;
    ProcessTable m_processes;
    GateKeeper m_gates;
    HangWatch m_hangWatch;
    FifoSweeper m_fifos;
    Event m_untracedNote;
    ExecTracer m_execTracer {[this](Event &e) { accept(e, true); }};
};

} // namespace pipescope
