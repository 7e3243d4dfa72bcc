// Events come out in the order they happened, per process, in every run of
// every scenario: a process's own events start with ProcessStarted, its Exited
// comes after all of them, its reap after its Exited, and at the end every
// process is exited and reaped, with no zombie and no fd left behind. The
// runner's view from outside (pidfd, waitpid) races the tree's telemetry pipe,
// so this runs each scenario many times.
#include "runharness.h"

#include "core/run/procprobe.h"
#include "core/scenarios/scenariocatalog.h"

#include <QtTest>

#include <time.h>

#include <map>

using namespace pipescope;
using namespace pipescope::test;

namespace
{

/// Kinds the runner reports about a process from outside; every other event with its pid it sent itself.
bool fromOutside(EventKind kind)
{
    return kind == EventKind::Blocked || kind == EventKind::Woken || kind == EventKind::Exited
        || kind == EventKind::Reaped;
}

/// Small parameters, so a run takes milliseconds; a short watchdog ends the pitfalls that hang.
std::vector<std::pair<std::string, std::string>> quickParams(const Scenario &scenario)
{
    static const std::map<std::string, std::vector<std::pair<std::string, std::string>>> overrides = {
        {"large-transfer", {{"total", "256K"}}},
        {"nonblocking", {{"delay-ms", "20"}, {"retry-ms", "5"}}},
        {"capacity", {{"capacity", "4K"}, {"reader-delay-ms", "20"}}},
        {"deadlock", {{"bytes", "128K"}}},
        {"epipe", {{"bytes", "128K"}}},
        {"atomic-writes", {{"size", "8K"}, {"records", "2"}}},
        {"zombie", {{"zombie-ms", "20"}}},
        {"select", {{"pipes", "3"}, {"written", "2"}}},
    };
    std::vector<std::pair<std::string, std::string>> out;
    if (const auto it = overrides.find(std::string(scenario.name())); it != overrides.end())
        out = it->second;
    for (const ParamSpec &p : scenario.params()) {
        if (p.name == "watchdog-ms")
            out.emplace_back("watchdog-ms", "150");
    }
    return out;
}

long long nowMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/// Empty when the run's events keep every process's order; else what broke it.
std::string orderProblem(const std::vector<Event> &events, int runnerPid)
{
    struct Seen {
        int first = -1; ///< index of the first event with this pid
        int started = -1;
        int lastOwn = -1; ///< index of the last event it sent itself
        int exited = -1;
        int exitedCount = 0;
        int reaped = -1; ///< first Reaped event, or first Wait of its parent that collected it
    };
    std::map<int, Seen> pids;
    for (int i = 0; i < static_cast<int>(events.size()); ++i) {
        const Event &e = events[static_cast<std::size_t>(i)];
        if (e.kind == EventKind::Wait && e.result > 0) {
            Seen &child = pids[static_cast<int>(e.result)];
            if (child.reaped < 0)
                child.reaped = i;
        }
        if (e.pid == runnerPid || e.pid <= 0)
            continue;
        Seen &s = pids[e.pid];
        if (s.first < 0)
            s.first = i;
        if (e.kind == EventKind::ProcessStarted)
            s.started = i;
        if (!fromOutside(e.kind))
            s.lastOwn = i;
        if (e.kind == EventKind::Exited) {
            s.exited = i;
            ++s.exitedCount;
        }
        if (e.kind == EventKind::Reaped && s.reaped < 0)
            s.reaped = i;
    }
    for (const auto &[pid, s] : pids) {
        const std::string who = "pid " + std::to_string(pid) + ": ";
        if (s.first < 0)
            continue; // only collected by a Wait, never seen itself: checked by the state below
        if (s.started >= 0 && s.started != s.first)
            return who + eventKindName(events[static_cast<std::size_t>(s.first)].kind) + " before process-started";
        if (s.exitedCount != 1)
            return who + std::to_string(s.exitedCount) + " exited events";
        if (s.lastOwn > s.exited)
            return who + eventKindName(events[static_cast<std::size_t>(s.lastOwn)].kind) + " after exited";
        if (s.reaped < 0)
            return who + "never reaped";
        if (s.reaped < s.exited)
            return who + "reaped before exited";
    }
    return {};
}

} // namespace

class TestEventOrder : public QObject
{
    Q_OBJECT

private slots:
    void everyProcessInOrderInEveryRun()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        constexpr int kRounds = 20;
        constexpr int kMinRounds = 3;
        constexpr long long kBudgetMs = 30000;
        const long long start = nowMs();
        std::map<std::string, int> runs;
        int round = 0;
        // Round robin, so that every scenario gets as many runs as the time allows.
        for (; round < kRounds && (round < kMinRounds || nowMs() - start < kBudgetMs); ++round) {
            for (const Scenario *scenario : ScenarioCatalog::all()) {
                const std::string name(scenario->name());
                RunHarness run;
                RunRequest request;
                request.scenario = name;
                request.assignments = quickParams(*scenario);
                QVERIFY2(run.start(request), (name + ": " + run.error()).c_str());
                QVERIFY2(run.finish(20000), (name + ": the run did not end").c_str());
                const int runner = run.session().runnerPid();
                const std::string problem = orderProblem(run.events(), runner);
                QVERIFY2(problem.empty(), (name + " run " + std::to_string(round) + ": " + problem).c_str());
                // The end as the events tell it is the truth: every process exited and was reaped.
                for (const ProcessInfo &p : run.state().processes()) {
                    QVERIFY2(p.state == ProcessState::Reaped,
                        (name + ": " + std::to_string(p.pid) + " (" + p.role + ") ends " + processStateName(p.state))
                            .c_str());
                }
                run.release();
                QVERIFY2(noChildrenLeft(), (name + ": a child or zombie is left").c_str());
                QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
                ++runs[name];
            }
        }
        qInfo("%d rounds of %zu scenarios in %lld ms", round, runs.size(), nowMs() - start);
        QVERIFY(round >= kMinRounds);
    }
};

QTEST_GUILESS_MAIN(TestEventOrder)
#include "tst_eventorder.moc"
