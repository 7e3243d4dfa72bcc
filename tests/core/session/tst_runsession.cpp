// The controller's side: gates really hold processes before their syscalls,
// one step releases exactly one syscall, EOF waits for the last write end,
// a full pipe really blocks the writer, and cancel or a dead runner takes
// the whole tree down with nothing left behind.
#include "runharness.h"

#include "core/model/sharedstate.h"
#include "core/run/procprobe.h"

#include <QtTest>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

using namespace pipescope;
using namespace pipescope::test;

namespace
{

bool isSyscall(const Event &e)
{
    // Sleep is not gated (it is the program's own delay), so it is not a step.
    return isSyscallKind(e.kind) && e.kind != EventKind::Sleep;
}

/// Bytes in a pipe as the kernel counts them (FIONREAD), through another process's fd.
/// Opening a write end adds a writer for a moment; callers use it where that cannot matter.
int bytesInPipe(int pid, int fd)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    const int mine = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (mine < 0)
        return -1;
    int n = -1;
    ioctl(mine, FIONREAD, &n);
    close(mine);
    return n;
}

std::int64_t monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

} // namespace

class TestRunSession : public QObject
{
    Q_OBJECT

private slots:
    void badRequestsStartNothing_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown scenario") << "nope"
                                          << ""
                                          << ""
                                          << "unknown scenario 'nope'";
        QTest::newRow("unknown key") << "simple"
                                     << "colour"
                                     << "red"
                                     << "unknown parameter 'colour'";
        QTest::newRow("malformed size") << "large-transfer"
                                        << "total"
                                        << "1Q"
                                        << "is not a size";
        QTest::newRow("size too big") << "large-transfer"
                                      << "total"
                                      << "2G"
                                      << "out of range";
        QTest::newRow("int out of range") << "select"
                                          << "pipes"
                                          << "65"
                                          << "out of range";
        QTest::newRow("not a number") << "select"
                                      << "pipes"
                                      << "many"
                                      << "not a whole number";
        QTest::newRow("written > pipes") << "select"
                                         << "written"
                                         << "3"
                                         << "more than pipes";
    }

    void badRequestsStartNothing()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunRequest request;
        request.scenario = scenario.toStdString();
        if (!key.isEmpty())
            request.assignments = {{key.toStdString(), value.toStdString()}};
        std::string error;
        QVERIFY(!RunSession::start(request, &error));
        QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
        QVERIFY(noChildrenLeft());
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
    }

    void missingRunnerIsAClearError()
    {
        RunRequest request;
        request.scenario = "simple";
        request.runnerPath = "/nonexistent/pipescope-runner";
        std::string error;
        QVERIFY(!RunSession::start(request, &error));
        QVERIFY2(error.find("/nonexistent/pipescope-runner") != std::string::npos, error.c_str());
    }

    void heldProcessHasNotMadeItsSyscall()
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunHarness run;
        RunRequest request;
        request.scenario = "simple";
        request.assignments = {{"message", "held!"}};
        request.mode = RunMode::Step;
        QVERIFY(run.start(request));
        // Held before pipe2: the kernel shows no pipe in its fd table yet.
        int gate = run.waitFor([](const Event &e) { return e.kind == EventKind::GateWait; });
        QVERIFY(gate >= 0);
        const int pid = run.events()[static_cast<std::size_t>(gate)].pid;
        QCOMPARE(run.events()[static_cast<std::size_t>(gate)].pending, EventKind::PipeCreated);
        // Nothing of the observer's leaked into the tree: stdio and PipeScope's telemetry pipe only.
        std::vector<int> open;
        for (const FdEntry &fd : ProcProbe::fdTable(pid))
            open.push_back(fd.fd);
        QCOMPARE(open, (std::vector<int> {0, 1, 2, 1000}));
        QCOMPARE(ProcProbe::fdTable(pid).front().target, std::string("/dev/null"));
        // The gate event is sent just before the futex wait: give the kernel a moment to see it asleep.
        std::optional<ProcessProbe> probe;
        QDeadlineTimer deadline(2000);
        while (
            (!(probe = ProcProbe::probe(pid)) || !probe->sleeping() || probe->wchan.empty()) && !deadline.hasExpired())
            sched_yield();
        QVERIFY(probe && probe->sleeping());
        QVERIFY2(probe->wchan.find("futex") != std::string::npos, (probe->wchan + " state " + probe->state).c_str());

        // Step twice: pipe2 and write happen, and it is held before read: the bytes sit in the pipe.
        run.session().step();
        QVERIFY(run.waitFor([](const Event &e) {
            return e.kind == EventKind::GateWait && e.pending == EventKind::Write;
        }) >= 0);
        run.session().step();
        const int beforeRead
            = run.waitFor([](const Event &e) { return e.kind == EventKind::GateWait && e.pending == EventKind::Read; });
        QVERIFY(beforeRead >= 0);
        const Event pipe = run.eventsOf(EventKind::PipeCreated).at(0);
        QCOMPARE(bytesInPipe(pid, pipe.fd2), 5);
        const SharedPipe &counters = run.session().shared().pipes[0];
        QCOMPARE(counters.written.load(), std::int64_t {5});
        QCOMPARE(counters.read.load(), std::int64_t {0});
        QVERIFY(run.eventsOf(EventKind::Read).empty());

        // The rest, one step at a time: read, close, close. A step counts only
        // once the process is at its gate (a step with nobody there is not kept).
        for (int i = 0; i < 3; ++i) {
            run.session().step();
            QVERIFY(run.waitFor([&](const Event &e) {
                return isSyscall(e) && e.kind != EventKind::Write && e.kind != EventKind::PipeCreated;
            }) >= 0);
            if (i < 2)
                QVERIFY(run.waitFor([](const Event &e) { return e.kind == EventKind::GateWait; }) >= 0);
        }
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        run.release();
        QVERIFY(noChildrenLeft());
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
    }

    void eachStepIsExactlyOneSyscall_data()
    {
        QTest::addColumn<int>("steps");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("4") << 4;
    }

    void eachStepIsExactlyOneSyscall()
    {
        QFETCH(int, steps);
        RunHarness run;
        RunRequest request;
        request.scenario = "simple";
        request.mode = RunMode::Step;
        QVERIFY(run.start(request));
        QVERIFY(run.waitFor([](const Event &e) { return e.kind == EventKind::GateWait; }) >= 0);
        for (int i = 1; i <= steps; ++i) {
            run.session().step();
            // After step i, the process is held again, having made exactly i syscalls.
            QVERIFY(run.waitFor([](const Event &e) { return e.kind == EventKind::GateWait; }) >= 0);
            const auto syscalls = std::count_if(run.events().begin(), run.events().end(), isSyscall);
            QCOMPARE(static_cast<int>(syscalls), i);
        }
        run.session().setFree();
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
    }

    void eofWaitsForTheLastWriteEnd()
    {
        RunHarness run;
        RunRequest request;
        request.scenario = "parent-child";
        request.mode = RunMode::Step;
        QVERIFY(run.start(request));
        int parent = 0;
        int child = 0;
        int writeFd = -1;
        bool parentWrote = false;
        // Let everyone run except the parent's close of its write end, after its write.
        const int heldAtClose = run.waitFor([&](const Event &e) {
            if (e.kind == EventKind::PipeCreated) {
                parent = e.pid;
                writeFd = e.fd2;
            }
            if (e.kind == EventKind::ProcessStarted && e.pid != parent && parent)
                child = e.pid;
            if (e.kind == EventKind::Write && e.pid == parent)
                parentWrote = true;
            if (e.kind != EventKind::GateWait)
                return false;
            if (e.pid == parent && parentWrote && e.pending == EventKind::Close && e.fd == writeFd)
                return true;
            run.session().stepProcess(e.pid);
            return false;
        });
        QVERIFY(heldAtClose >= 0);
        // The child drains the message and then blocks in read: no EOF while the write end is open.
        const bool blocked = run.waitUntil([&] {
            for (const ProcessInfo &p : run.state().processes()) {
                if (p.role == "child")
                    child = p.pid; // its start may come after the parent's gate
            }
            for (const Event &e : run.events()) {
                if (e.kind == EventKind::GateWait && e.pid == child)
                    run.session().stepProcess(child); // a no-op for a gate already passed
            }
            const ProcessInfo *c = run.state().process(child);
            return c && c->bytesIn == 20 && c->state == ProcessState::Blocked
                && c->detail.find("anon_pipe_read") != std::string::npos;
        });
        QVERIFY2(blocked, "the child never blocked in read after the message");
        for (const Event &e : run.eventsOf(EventKind::Read))
            QVERIFY2(!e.isEof(), "EOF arrived while the parent still held the write end");
        QCOMPARE(run.state().openEnds(run.state().pipes().front().inode, true), 1);
        // Now the parent closes the last write end, and only then does read return 0.
        run.session().stepProcess(parent);
        const int eof = run.waitFor([&](const Event &e) {
            if (e.kind == EventKind::GateWait)
                run.session().stepProcess(e.pid);
            return e.isEof();
        });
        QVERIFY(eof >= 0);
        QCOMPARE(run.events()[static_cast<std::size_t>(eof)].pid, child);
        run.session().setFree();
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
    }

    void writerBlocksWhenThePipeHoldsItsCapacity_data()
    {
        QTest::addColumn<QString>("capacity");
        QTest::addColumn<int>("expected");
        QTest::newRow("kernel default") << "0" << 65536;
        QTest::newRow("F_SETPIPE_SZ 16K") << "16K" << 16384;
        QTest::newRow("F_SETPIPE_SZ 1 byte gives a page") << "1" << 4096;
    }

    void writerBlocksWhenThePipeHoldsItsCapacity()
    {
        QFETCH(QString, capacity);
        QFETCH(int, expected);
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunHarness run;
        RunRequest request;
        request.scenario = "large-transfer";
        request.assignments = {{"total", "1M"}, {"capacity", capacity.toStdString()}, {"reader-delay-ms", "400"}};
        QVERIFY(run.start(request));
        const int blocked = run.waitFor([](const Event &e) {
            return e.kind == EventKind::Blocked && e.textView().find("anon_pipe_write") != std::string_view::npos;
        });
        QVERIFY2(blocked >= 0, "the writer never blocked");
        const Event &b = run.events()[static_cast<std::size_t>(blocked)];
        // The kernel's own count while the writer sleeps in pipe_write: the pipe is full.
        const auto first = ProcProbe::probe(b.pid);
        const int inPipe = bytesInPipe(b.pid, b.fd);
        const auto second = ProcProbe::probe(b.pid);
        QVERIFY(first && second);
        QCOMPARE(QString::fromStdString(first->wchan), QStringLiteral("anon_pipe_write"));
        QCOMPARE(QString::fromStdString(second->wchan), QStringLiteral("anon_pipe_write"));
        QCOMPARE(inPipe, expected);
        // The runner measured the same through the writer's own end, and the summary knows it.
        QCOMPARE(b.result, static_cast<std::int64_t>(expected));
        QCOMPARE(run.state().pipes().front().maxFill, static_cast<std::int64_t>(expected));
        QCOMPARE(run.eventsOf(EventKind::PipeCreated).size(), std::size_t {1});
        // Stop in the middle: everything is killed and reaped.
        run.session().cancel();
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeCancelled));
        const auto pids = run.allPids();
        run.release();
        for (int pid : pids)
            QVERIFY(processGone(pid));
        QVERIFY(noChildrenLeft());
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
    }

    void destroyingASessionKillsTheTree()
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        std::vector<int> pids;
        {
            RunHarness run;
            RunRequest request;
            request.scenario = "large-transfer";
            request.assignments = {{"total", "1G"}, {"reader-delay-ms", "50"}};
            QVERIFY(run.start(request));
            QVERIFY(run.waitFor([](const Event &e) {
                return e.kind == EventKind::ProcessStarted && e.textView() == std::string_view("reader");
            }) >= 0);
            pids = run.allPids();
        } // ~RunSession: cancel, wait, reap
        QCOMPARE(pids.size(), std::size_t {3});
        for (int pid : pids)
            QVERIFY(processGone(pid));
        QVERIFY(noChildrenLeft());
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
    }

    void treeDiesWithItsRunner()
    {
        RunHarness run;
        RunRequest request;
        request.scenario = "large-transfer";
        request.assignments = {{"total", "1G"}, {"reader-delay-ms", "50"}};
        QVERIFY(run.start(request));
        QVERIFY(run.waitFor([](const Event &e) {
            return e.kind == EventKind::ProcessStarted && e.textView() == std::string_view("reader");
        }) >= 0);
        std::vector<int> tree;
        for (const ProcessInfo &p : run.state().processes())
            tree.push_back(p.pid);
        QCOMPARE(tree.size(), std::size_t {2});
        // SIGKILL gives the runner no chance to clean up: PR_SET_PDEATHSIG must take the tree down.
        QCOMPARE(kill(run.session().runnerPid(), SIGKILL), 0);
        for (int pid : tree)
            QVERIFY2(waitDead(pid, 5000), "a scenario process outlived its runner");
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeFailed));
        run.release();
        QVERIFY(noChildrenLeft());
    }

    void pausedHangWaitsForTheLecturer()
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        constexpr int kWatchdogMs = 300;
        RunHarness run;
        RunRequest request;
        request.scenario = "no-close-eof";
        request.assignments = {{"watchdog-ms", std::to_string(kWatchdogMs)}};
        request.mode = RunMode::Step;
        QVERIFY(run.start(request));
        // Release every gate as it comes, until both hang: the child in read, the parent in waitpid.
        std::size_t seen = 0;
        const bool hung = run.waitUntil([&] {
            for (; seen < run.events().size(); ++seen) {
                if (run.events()[seen].kind == EventKind::GateWait)
                    run.session().stepProcess(run.events()[seen].pid);
            }
            int blocked = 0;
            for (const ProcessInfo &p : run.state().processes())
                blocked += p.state == ProcessState::Blocked ? 1 : 0;
            return blocked == 2 && run.state().processes().size() == 2;
        });
        QVERIFY2(hung, "the run never hung");
        // Paused, every process asleep in the kernel, for three times the limit: the lecturer's time, not a hang.
        const auto ends
            = [](const Event &e) { return e.kind == EventKind::Watchdog || e.kind == EventKind::RunFinished; };
        QCOMPARE(run.waitFor(ends, 3 * kWatchdogMs), -1);
        QVERIFY(!run.session().finished());
        // Running again, the watchdog counts from here and ends the hang.
        const std::int64_t freeNs = monotonicNs();
        run.session().setFree();
        const int dog = run.waitFor([](const Event &e) { return e.kind == EventKind::Watchdog; }, 10000);
        QVERIFY2(dog >= 0, "the watchdog never fired after the run went on");
        const std::int64_t afterFreeMs = (run.events()[static_cast<std::size_t>(dog)].timeNs - freeNs) / 1000000;
        QVERIFY2(afterFreeMs >= kWatchdogMs, qPrintable(QStringLiteral("fired %1 ms after Free").arg(afterFreeMs)));
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeWatchdog));
        run.release();
        QVERIFY(noChildrenLeft());
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
    }

    void stepsWhileAllSleepAreNotKept()
    {
        RunHarness run;
        RunRequest request;
        request.scenario = "zombie";
        request.assignments = {{"zombie-ms", "1000"}};
        request.mode = RunMode::Step;
        QVERIFY(run.start(request));
        // Release every gate as it comes, until the child has exited and the parent sleeps (nanosleep, not gated).
        std::size_t seen = 0;
        int parent = 0;
        bool childExited = false;
        const bool asleep = run.waitUntil([&] {
            bool parentSleeps = false;
            for (; seen < run.events().size(); ++seen) {
                const Event &e = run.events()[seen];
                if (e.kind == EventKind::GateWait)
                    run.session().stepProcess(e.pid);
                if (e.kind == EventKind::PipeCreated)
                    parent = e.pid;
                childExited |= e.kind == EventKind::Exited && e.pid != parent;
            }
            const ProcessInfo *p = run.state().process(parent);
            parentSleeps = p && p->state == ProcessState::Blocked && p->detail.find("nanosleep") != std::string::npos;
            return childExited && parentSleeps;
        });
        QVERIFY2(asleep, "the parent never slept with its child exited");
        // Steps now find nobody at a gate: each is answered, none is kept.
        const std::string why = "every process is asleep in the kernel; Step cannot wake them";
        const int runner = run.session().runnerPid();
        for (int i = 0; i < 3; ++i)
            run.session().step();
        for (int i = 0; i < 3; ++i) {
            QVERIFY(run.waitFor([&](const Event &e) {
                return e.kind == EventKind::Note && e.pid == runner && e.textView() == why;
            }) >= 0);
        }
        // The parent wakes and reaches its waitpid gate, and stays there: no step was left to spend.
        QVERIFY(run.waitFor([&](const Event &e) {
            return e.kind == EventKind::GateWait && e.pid == parent && e.pending == EventKind::Wait;
        }) >= 0);
        QCOMPARE(run.waitFor([](const Event &e) { return e.kind == EventKind::Wait; }, 500), -1);
        QCOMPARE(run.state().process(parent)->state, ProcessState::Held);
        // One step now is one syscall: waitpid collects the child.
        run.session().step();
        QVERIFY(run.waitFor([](const Event &e) { return e.kind == EventKind::Wait; }) >= 0);
        run.session().setFree();
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        run.release();
        QVERIFY(noChildrenLeft());
    }

    void pacedRunFinishesWithTheSameBytes()
    {
        RunHarness run;
        RunRequest request;
        request.scenario = "bidirectional";
        request.mode = RunMode::Paced;
        request.paceMs = 5;
        QVERIFY(run.start(request));
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        QVERIFY(!run.eventsOf(EventKind::GateWait).empty());
        for (const PipeInfo &p : run.state().pipes()) {
            QVERIFY(p.written > 0);
            QCOMPARE(p.read, p.written);
        }
    }
};

QTEST_GUILESS_MAIN(TestRunSession)
#include "tst_runsession.moc"
