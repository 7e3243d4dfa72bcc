// Slow motion must keep the lesson true (issue 9): every scenario, at full
// speed, paced at 20 ms and at 150 ms, and stepped, still shows the kernel fact
// it teaches, and leaves nothing behind. Sizes are small so paced runs are short.
#include "runharness.h"

#include "core/model/sharedstate.h"

#include <QtTest>

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <set>
#include <string_view>

using namespace pipescope;
using namespace pipescope::test;

using Assignments = std::vector<std::pair<std::string, std::string>>;
Q_DECLARE_METATYPE(Assignments)

namespace
{

/// The fact each scenario teaches, checked by a function of the same name below.
enum class Point {
    Message,
    Capacity,
    LargeTransfer,
    Deadlock,
    NoCloseEof,
    FdLeakExec,
    Epipe,
    Nonblocking,
    Select,
    Zombie,
    AtomicWrites
};

struct Lesson {
    const char *scenario;
    Assignments assignments;
    Point point;
    int outcome;
};

struct Pace {
    const char *name;
    RunMode mode;
    int paceMs;
};

const Pace kPaces[] = {
    {"full speed", RunMode::Free, 0},
    {"paced 20 ms", RunMode::Paced, 20},
    {"paced 150 ms", RunMode::Paced, 150},
    {"stepped", RunMode::Step, 0},
};

bool contains(std::string_view text, std::string_view needle)
{
    return text.find(needle) != std::string_view::npos;
}

} // namespace

Q_DECLARE_METATYPE(Point)
Q_DECLARE_METATYPE(RunMode)

class TestSlowMotion : public QObject
{
    Q_OBJECT

private:
    /// Runs to the end; in Step mode releases each gate as soon as a process waits there.
    /// A stepped run's watchdog stands still (the lecturer is explaining), so once a
    /// hang is on screen, every live process asleep in the kernel, the run goes on at
    /// full speed and the watchdog ends it.
    static bool drive(RunHarness &run, RunMode mode, bool hangs, int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        bool freed = false;
        while (!run.session().finished() && clock.elapsed() < timeoutMs) {
            run.waitFor(
                [&](const Event &e) {
                    if (mode == RunMode::Step && e.kind == EventKind::GateWait)
                        run.session().step();
                    if (mode == RunMode::Step && hangs && !freed && allLiveBlocked(run)) {
                        run.session().setFree();
                        freed = true;
                    }
                    return false;
                },
                static_cast<int>(timeoutMs - clock.elapsed()));
        }
        return run.finish(1000);
    }

    static bool allLiveBlocked(const RunHarness &run)
    {
        bool any = false;
        for (const ProcessInfo &p : run.state().processes()) {
            if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped)
                continue;
            if (p.state != ProcessState::Blocked)
                return false;
            any = true;
        }
        return any;
    }

    static pid_t pidOf(const RunHarness &run, std::string_view role)
    {
        for (const ProcessInfo &p : run.state().processes()) {
            if (p.role == role)
                return p.pid;
        }
        return 0;
    }

    static int countNotes(const RunHarness &run, std::string_view needle)
    {
        int n = 0;
        for (const Event &e : run.eventsOf(EventKind::Note))
            n += contains(e.textView(), needle);
        return n;
    }

    /// The runner saw pid asleep in the kernel with text containing needle ("pipe full").
    static bool seenBlocked(const RunHarness &run, pid_t pid, std::string_view needle)
    {
        for (const Event &e : run.eventsOf(EventKind::Blocked)) {
            if (e.pid == pid && contains(e.textView(), needle))
                return true;
        }
        return false;
    }

    static std::size_t watchdogIndex(const RunHarness &run)
    {
        const auto &events = run.events();
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (events[i].kind == EventKind::Watchdog)
                return i;
        }
        return events.size();
    }

    /// What pid did last before the watchdog fired (its notes aside): for a hung
    /// process, the Blocked event of the call it never came back from.
    static const Event *lastBefore(const RunHarness &run, pid_t pid, std::size_t end)
    {
        const Event *last = nullptr;
        for (std::size_t i = 0; i < end; ++i) {
            const Event &e = run.events()[i];
            if (e.pid == pid && e.kind != EventKind::Note)
                last = &e;
        }
        return last;
    }

    static void checkHungIn(const RunHarness &run, pid_t pid, std::string_view call, std::string_view why)
    {
        QVERIFY(pid > 0);
        const Event *last = lastBefore(run, pid, watchdogIndex(run));
        QVERIFY2(last, "the process did nothing before the watchdog");
        QVERIFY2(last->kind == EventKind::Blocked, eventKindName(last->kind));
        QVERIFY2(contains(last->textView(), call) && contains(last->textView(), why), last->textView().data());
    }

    static void checkNoEof(const RunHarness &run, pid_t pid)
    {
        for (const Event &e : run.eventsOf(EventKind::Read))
            QVERIFY2(!(e.pid == pid && e.isEof()), "the reader saw EOF");
    }

    static void checkMessage(const RunHarness &run)
    {
        QVERIFY(countNotes(run, "arrived intact") >= 1);
        QCOMPARE(countNotes(run, "MISMATCH"), 0);
    }

    static void checkCapacity(const RunHarness &run, RunMode)
    {
        const PipeInfo &pipe = run.state().pipes().front();
        QCOMPARE(pipe.capacity, std::int64_t {4096});
        QCOMPARE(pipe.maxFill, pipe.capacity);
        QCOMPARE(pipe.read, pipe.written);
        // The runner itself saw the writer asleep in anon_pipe_write, long enough to be on screen.
        QVERIFY2(seenBlocked(run, pidOf(run, "parent"), "pipe full"), "the writer was never seen blocked");
        QCOMPARE(countNotes(run, "reader: 8192 of 8192 bytes"), 1);
    }

    static void checkLargeTransfer(const RunHarness &run, RunMode mode)
    {
        const PipeInfo &pipe = run.state().pipes().front();
        QCOMPARE(pipe.capacity, std::int64_t {4096});
        QCOMPARE(pipe.maxFill, pipe.capacity);
        QCOMPARE(pipe.written, std::int64_t {10240});
        QCOMPARE(pipe.read, pipe.written);
        QCOMPARE(countNotes(run, "10240 of 10240 bytes, every byte intact"), 1);
        // At full speed the whole transfer can fit between two of the runner's
        // looks; the reader's own look at the writer's wchan is the kernel's word then.
        const bool runnerSaw = seenBlocked(run, pidOf(run, "parent"), "pipe full");
        // On this kernel (EEVDF's delayed dequeue) a sleeper's wchan often reads 0: then the reader's word is
        // "the pipe holds its capacity and the writer sleeps", which ReaderHold says in its own note.
        const bool readerSaw = countNotes(run, "(wchan anon_pipe_write)") + countNotes(run, "(wchan pipe_write)")
                + countNotes(run, "sleeps (this kernel hides where)")
            == 1;
        QVERIFY2(
            readerSaw, "the reader did not see the writer asleep in pipe_write, nor a full pipe and a sleeping writer");
        // Paced, the reader's next gate opens a whole pace later, so the blocked writer stays on
        // screen; stepped, it stays until the lecturer steps (this test steps at once).
        if (mode == RunMode::Paced)
            QVERIFY2(runnerSaw, "in slow motion the blocked writer must stay long enough to be seen");
    }

    static void checkDeadlock(const RunHarness &run)
    {
        checkHungIn(run, pidOf(run, "parent"), "write(", "pipe full");
        checkHungIn(run, pidOf(run, "child"), "write(", "pipe full");
    }

    static void checkNoCloseEof(const RunHarness &run)
    {
        checkHungIn(run, pidOf(run, "child"), "read(", "pipe empty");
        checkNoEof(run, pidOf(run, "child"));
        QCOMPARE(countNotes(run, "child: read returned 0"), 0);
    }

    static void checkFdLeakExec(const RunHarness &run)
    {
        QCOMPARE(countNotes(run, "it now holds a write end of our pipe"), 1);
        checkHungIn(run, pidOf(run, "reader"), "read(", "pipe empty");
        checkNoEof(run, pidOf(run, "reader"));
    }

    static void checkEpipe(const RunHarness &run)
    {
        const ProcessInfo *writer = run.state().process(pidOf(run, "writer"));
        QVERIFY(writer);
        QVERIFY2(
            WIFSIGNALED(writer->status) && WTERMSIG(writer->status) == SIGPIPE, "the writer was not killed by SIGPIPE");
        QCOMPARE(countNotes(run, "SIGPIPE): it wrote to a pipe nobody reads"), 1);
    }

    static void checkNonblocking(const RunHarness &run)
    {
        const auto reads = run.eventsOf(EventKind::Read);
        QVERIFY(reads.size() >= 3);
        QVERIFY2(reads.front().isWouldBlock(), "the first read of the empty pipe must get EAGAIN");
        QCOMPARE(reads.front().err, EAGAIN);
        const auto data = std::find_if(reads.begin(), reads.end(), [](const Event &e) { return e.result > 0; });
        QVERIFY(data != reads.end());
        QCOMPARE(std::string(data->textView()), std::string("finally"));
        for (auto it = reads.begin(); it != data; ++it)
            QVERIFY(it->isWouldBlock());
        QVERIFY(reads.back().isEof());
    }

    static void checkSelect(const RunHarness &run)
    {
        std::map<std::uint64_t, int> readFdOf; // the parent's read end of each pipe
        for (const Event &e : run.eventsOf(EventKind::PipeCreated))
            readFdOf[e.inode] = e.fd;
        std::set<int> writtenFds;
        for (const Event &e : run.eventsOf(EventKind::Write))
            writtenFds.insert(readFdOf[e.inode]);
        QCOMPARE(static_cast<int>(writtenFds.size()), 2);
        std::set<int> readyFds;
        for (const Event &e : run.eventsOf(EventKind::Select)) {
            for (int fd = 0; fd < Event::kMaxFd; ++fd) {
                if (Event::bit(e.ready, fd))
                    readyFds.insert(fd);
            }
        }
        QCOMPARE(readyFds, writtenFds);
        QCOMPARE(countNotes(run, "select reported exactly the 2 written pipes"), 1);
    }

    static void checkZombie(const RunHarness &run)
    {
        QCOMPARE(countNotes(run, "(zombie): it has exited, nobody has waited for it"), 1);
    }

    static void checkAtomicWrites(const RunHarness &run)
    {
        QCOMPARE(countNotes(run, "reader: 32768 of 32768 bytes, records of 4096; interleavings: 0"), 1);
    }

private slots:
    void lessonHoldsAtEveryPace_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<Assignments>("assignments");
        QTest::addColumn<Point>("point");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<RunMode>("mode");
        QTest::addColumn<int>("paceMs");
        const std::string hang = "300"; // watchdog-ms of the pitfalls that hang
        const Lesson lessons[] = {
            {"simple", {}, Point::Message, OutcomeOk},
            {"parent-child", {}, Point::Message, OutcomeOk},
            {"bidirectional", {}, Point::Message, OutcomeOk},
            {"subprocess", {}, Point::Message, OutcomeOk},
            {"capacity", {{"capacity", "4K"}, {"chunk", "1K"}, {"reader-delay-ms", "100"}}, Point::Capacity, OutcomeOk},
            {"large-transfer", {{"total", "10K"}, {"chunk", "2K"}, {"capacity", "4K"}}, Point::LargeTransfer,
                OutcomeOk},
            {"deadlock", {{"bytes", "96K"}, {"chunk", "32K"}, {"watchdog-ms", hang}}, Point::Deadlock, OutcomeWatchdog},
            {"no-close-eof", {{"watchdog-ms", hang}}, Point::NoCloseEof, OutcomeWatchdog},
            {"fd-leak-exec", {{"watchdog-ms", hang}}, Point::FdLeakExec, OutcomeWatchdog},
            {"epipe", {{"bytes", "192K"}}, Point::Epipe, OutcomeFailed},
            {"nonblocking", {{"delay-ms", "50"}, {"retry-ms", "10"}, {"message", "finally"}}, Point::Nonblocking,
                OutcomeOk},
            // A short select timeout: in slow motion it runs out before the writers have had their turn.
            {"select", {{"pipes", "3"}, {"written", "2"}, {"timeout-ms", "50"}}, Point::Select, OutcomeOk},
            {"zombie", {{"zombie-ms", "100"}}, Point::Zombie, OutcomeOk},
            {"atomic-writes", {{"writers", "2"}, {"records", "4"}, {"size", "4K"}, {"fixed", "true"}},
                Point::AtomicWrites, OutcomeOk},
        };
        for (const Lesson &l : lessons) {
            for (const Pace &p : kPaces) {
                QTest::addRow("%s, %s", l.scenario, p.name)
                    << QString::fromLatin1(l.scenario) << l.assignments << l.point << l.outcome << p.mode << p.paceMs;
            }
        }
    }

    /// The reader's hold never outlives its reason: a writer that sends less than the
    /// pipe holds closes its end instead of blocking, and the correct capacity run reads at once.
    void readerHoldEndsWithoutAFullPipe_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<Assignments>("assignments");
        QTest::addColumn<int>("holds");
        QTest::addColumn<int>("nothingToWaitFor");
        QTest::newRow("capacity, 1K sent")
            << "capacity" << Assignments {{"bytes", "1K"}, {"reader-delay-ms", "0"}} << 1 << 1;
        QTest::newRow("large-transfer, 3000 sent") << "large-transfer" << Assignments {{"total", "3000"}} << 1 << 1;
        QTest::newRow("capacity, fixed") << "capacity" << Assignments {{"capacity", "4K"}, {"fixed", "true"}} << 0 << 0;
    }

    void readerHoldEndsWithoutAFullPipe()
    {
        QFETCH(QString, scenario);
        QFETCH(Assignments, assignments);
        QFETCH(int, holds);
        QFETCH(int, nothingToWaitFor);
        RunHarness run;
        RunRequest request;
        request.scenario = scenario.toStdString();
        request.assignments = assignments;
        request.mode = RunMode::Paced;
        request.paceMs = 5;
        QVERIFY2(run.start(request), run.error().c_str());
        QVERIFY2(drive(run, RunMode::Paced, false, 20000), "the run did not finish in time");
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        QCOMPARE(countNotes(run, "reader: holds off until"), holds);
        QCOMPARE(countNotes(run, "nothing to wait for"), nothingToWaitFor);
        const PipeInfo &pipe = run.state().pipes().front();
        QCOMPARE(pipe.read, pipe.written);
        run.release();
        QVERIFY2(noChildrenLeft(), "a zombie or child is left");
    }

    void lessonHoldsAtEveryPace()
    {
        QFETCH(QString, scenario);
        QFETCH(Assignments, assignments);
        QFETCH(Point, point);
        QFETCH(int, outcome);
        QFETCH(RunMode, mode);
        QFETCH(int, paceMs);
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunHarness run;
        RunRequest request;
        request.scenario = scenario.toStdString();
        request.assignments = assignments;
        request.mode = mode;
        request.paceMs = paceMs;
        QVERIFY2(run.start(request), run.error().c_str());
        QVERIFY2(drive(run, mode, outcome == OutcomeWatchdog, 30000), "the run did not finish in time");
        QCOMPARE(run.session().outcome(), outcome);

        switch (point) {
        case Point::Message: checkMessage(run); break;
        case Point::Capacity: checkCapacity(run, mode); break;
        case Point::LargeTransfer: checkLargeTransfer(run, mode); break;
        case Point::Deadlock: checkDeadlock(run); break;
        case Point::NoCloseEof: checkNoCloseEof(run); break;
        case Point::FdLeakExec: checkFdLeakExec(run); break;
        case Point::Epipe: checkEpipe(run); break;
        case Point::Nonblocking: checkNonblocking(run); break;
        case Point::Select: checkSelect(run); break;
        case Point::Zombie: checkZombie(run); break;
        case Point::AtomicWrites: checkAtomicWrites(run); break;
        }
        if (QTest::currentTestFailed())
            return;

        // Nothing left behind: no zombie, no process of the tree, no fd, every process reaped.
        run.release();
        QVERIFY2(noChildrenLeft(), "a zombie or child is left");
        for (int pid : run.allPids())
            QVERIFY2(processGone(pid), qPrintable(QStringLiteral("pid %1 still exists").arg(pid)));
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
        for (const ProcessInfo &p : run.state().processes())
            QVERIFY2(p.state == ProcessState::Reaped, p.role.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSlowMotion)
#include "tst_slowmotion.moc"
