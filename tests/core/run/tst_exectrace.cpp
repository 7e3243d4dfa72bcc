// The programs a built-in scenario execs (cat in subprocess and fd-leak-exec) are
// traced by the runner: their reads and writes are events and exact counters, and
// in step mode they are held at a gate like any scenario process.
#include "runharness.h"

#include "core/model/sharedstate.h"

#include <QtTest>

#include <numeric>

using namespace pipescope;
using namespace pipescope::test;

using Assignments = std::vector<std::pair<std::string, std::string>>;
Q_DECLARE_METATYPE(RunMode)

namespace
{

const ProcessInfo *byRole(const RunState &state, std::string_view role)
{
    for (const ProcessInfo &p : state.processes()) {
        if (p.role == role)
            return &p;
    }
    return nullptr;
}

std::int64_t sumOf(const std::vector<Event> &events, pid_t pid, int fd)
{
    std::int64_t n = 0;
    for (const Event &e : events) {
        if (e.pid == pid && e.fd == fd && e.result > 0)
            n += e.result;
    }
    return n;
}

} // namespace

class TestExecTrace : public QObject
{
    Q_OBJECT

private:
    /// Runs to the end (stepping each gate in step mode), then checks nothing is left.
    void runClean(RunHarness &run, const std::string &name, const Assignments &assignments, RunMode mode,
        int expectOutcome = OutcomeOk)
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunRequest request;
        request.scenario = name;
        request.assignments = assignments;
        request.mode = mode;
        QVERIFY2(run.start(request), run.error().c_str());
        if (mode == RunMode::Step) {
            run.waitFor(
                [&](const Event &e) {
                    if (e.kind == EventKind::GateWait)
                        run.session().step();
                    return false;
                },
                30000);
        }
        QVERIFY2(run.finish(30000), "run did not finish in time");
        QCOMPARE(run.session().outcome(), expectOutcome);
        run.release();
        const std::string left = leftBehind(run, before);
        QVERIFY2(left.empty(), left.c_str());
        for (const ProcessInfo &p : run.state().processes())
            QVERIFY2(p.state == ProcessState::Reaped, p.role.c_str());
    }

    /// Every pipe's count is exact: no end in an unobserved program, read = written at the end.
    static void checkExact(const RunHarness &run)
    {
        for (const PipeInfo &p : run.state().pipes()) {
            QVERIFY2(!p.externalReader && !p.externalWriter, std::to_string(p.inode).c_str());
            QCOMPARE(p.read, p.written);
        }
        for (const ProcessInfo &p : run.state().processes())
            QVERIFY2(!p.external, p.role.c_str());
    }

private slots:
    void execdProgramIsCountedExactly_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("args");
        QTest::addColumn<int>("sent");
        QTest::addColumn<int>("back");
        QTest::addColumn<RunMode>("mode");
        QTest::newRow("cat 18 B, full speed") << "cat"
                                              << "" << 18 << 18 << RunMode::Free;
        QTest::newRow("cat 64 KiB, full speed") << "cat"
                                                << "" << 65536 << 65536 << RunMode::Free;
        QTest::newRow("cat 5000 B, stepped") << "cat"
                                             << "" << 5000 << 5000 << RunMode::Step;
        // 400 writes: past the 64 calls a process logs at full speed, so only the counters see them all.
        QTest::newRow("dd 400 writes, full speed")
            << "dd"
            << "if=/dev/zero bs=512 count=400 status=none" << 0 << 204800 << RunMode::Free;
    }

    void execdProgramIsCountedExactly()
    {
        QFETCH(QString, program);
        QFETCH(QString, args);
        QFETCH(int, sent);
        QFETCH(int, back);
        QFETCH(RunMode, mode);
        std::string message(static_cast<std::size_t>(sent), 'x');
        for (std::size_t i = 0; i < message.size(); ++i)
            message[i] = static_cast<char>('a' + i % 26);
        RunHarness run;
        runClean(run, "subprocess",
            {{"program", program.toStdString()}, {"args", args.toStdString()}, {"message", message}}, mode);
        if (QTest::currentTestFailed())
            return;
        const ProcessInfo *child = byRole(run.state(), program.toStdString());
        QVERIFY(child);
        // The Exec says the program is traced, and no count is a bound.
        const auto execs = run.eventsOf(EventKind::Exec);
        QCOMPARE(execs.size(), std::size_t {1});
        QVERIFY(execs.front().status & kExecStatusTraced);
        checkExact(run);
        // Exact bytes in and out of the program, from the shared counters.
        QCOMPARE(child->bytesIn, std::int64_t {sent});
        QCOMPARE(child->bytesOut, std::int64_t {back});
        const auto reads = run.eventsOf(EventKind::Read);
        const auto writes = run.eventsOf(EventKind::Write);
        if (program != QLatin1String("cat"))
            return;
        // cat's own calls are events: reads of fd 0 up to an EOF, writes to fd 1.
        const bool eof = std::any_of(reads.begin(), reads.end(),
            [&](const Event &e) { return e.pid == child->pid && e.fd == 0 && e.result == 0; });
        QVERIFY2(eof, "cat's read of EOF on its stdin");
        QCOMPARE(sumOf(reads, child->pid, 0), std::int64_t {sent});
        QCOMPARE(sumOf(writes, child->pid, 1), std::int64_t {back});
        // What cat wrote is what it was sent: the first bytes' preview.
        const auto firstWrite = std::find_if(
            writes.begin(), writes.end(), [&](const Event &e) { return e.pid == child->pid && e.result > 0; });
        QVERIFY(firstWrite != writes.end());
        QVERIFY(message.rfind(std::string(firstWrite->textView()), 0) == 0);
        if (mode == RunMode::Step) {
            // Held at its gate before its own calls, really stopped there (ptrace).
            int gates = 0;
            for (const Event &e : run.eventsOf(EventKind::GateWait))
                gates += e.pid == child->pid && (e.pending == EventKind::Read || e.pending == EventKind::Write);
            QVERIFY2(gates >= 3, std::to_string(gates).c_str());
        }
    }

    void treeOfAnExecdProgram()
    {
        // sh -c 'cat|cat': the traced program forks, makes a pipe of its own and execs;
        // all of it is seen, and the inner pipe's bytes are exact too.
        RunHarness run;
        runClean(run, "subprocess", {{"program", "sh"}, {"args", "-c cat|cat"}, {"message", "through two cats"}},
            RunMode::Free);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(run.state().pipes().size(), std::size_t {4}); // three of the scenario's, one of sh's
        checkExact(run);
        int cats = 0;
        for (const ProcessInfo &p : run.state().processes())
            cats += p.role == "cat";
        QCOMPARE(cats, 2);
        const auto notes = run.eventsOf(EventKind::Note);
        const bool intact = std::any_of(notes.begin(), notes.end(),
            [](const Event &e) { return e.textView().find("16 bytes came back") != std::string_view::npos; });
        QVERIFY(intact);
    }

    void leakedEndHeldByTracedCat()
    {
        // The pitfall: cat holds a leaked write end (no O_CLOEXEC), so the reader
        // never sees EOF. Traced, cat's fd table shows it until the watchdog.
        RunHarness run;
        runClean(run, "fd-leak-exec", {{"watchdog-ms", "1500"}}, RunMode::Free, OutcomeWatchdog);
        if (QTest::currentTestFailed())
            return;
        const ProcessInfo *cat = byRole(run.state(), "cat");
        QVERIFY(cat);
        QVERIFY(!cat->external);
        RunHarness fixed;
        runClean(fixed, "fd-leak-exec", {{"fixed", "true"}}, RunMode::Free);
        if (QTest::currentTestFailed())
            return;
        checkExact(fixed);
        // The fixed pipe is close-on-exec: the kernel closed cat's copy at the exec, said as a close.
        const ProcessInfo *fixedCat = byRole(fixed.state(), "cat");
        QVERIFY(fixedCat);
        bool closedByExec = false;
        for (const Event &e : fixed.eventsOf(EventKind::Close))
            closedByExec |= e.pid == fixedCat->pid && e.textView().find("close-on-exec") != std::string_view::npos;
        QVERIFY(closedByExec);
    }
};

QTEST_GUILESS_MAIN(TestExecTrace)
#include "tst_exectrace.moc"
