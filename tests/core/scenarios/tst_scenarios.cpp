// Runs each of the seven scenarios for real and checks the kernel facts it teaches,
// then that nothing was left behind: no zombie, no fd, no process of the tree.
#include "runharness.h"

#include "core/model/eventformat.h"
#include "core/model/sharedstate.h"

#include <QtTest>

#include <sys/wait.h>

#include <cerrno>
#include <set>

using namespace pipescope;
using namespace pipescope::test;

using Assignments = std::vector<std::pair<std::string, std::string>>;
Q_DECLARE_METATYPE(Assignments)

class TestScenarios : public QObject
{
    Q_OBJECT

private:
    /// Runs to the end at full speed and checks the common facts.
    void runClean(
        RunHarness &run, const std::string &name, const Assignments &assignments, int expectOutcome = OutcomeOk)
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunRequest request;
        request.scenario = name;
        request.assignments = assignments;
        QVERIFY2(run.start(request), run.error().c_str());
        QVERIFY2(run.finish(30000), "run did not finish in time");
        QCOMPARE(run.session().outcome(), expectOutcome);
        run.release();
        const std::string left = leftBehind(run, before);
        QVERIFY2(left.empty(), left.c_str());
        // Every process of the tree was seen to exit, and was reaped.
        for (const ProcessInfo &p : run.state().processes())
            QVERIFY2(p.state == ProcessState::Reaped, p.role.c_str());
    }

    static int countNotes(const RunHarness &run, const char *needle)
    {
        int n = 0;
        for (const Event &e : run.eventsOf(EventKind::Note))
            n += e.textView().find(needle) != std::string_view::npos;
        return n;
    }

    static void checkPipesBalanced(const RunHarness &run)
    {
        for (const PipeInfo &p : run.state().pipes()) {
            if (p.externalReader || p.externalWriter)
                continue; // an exec'd program's own reads and writes are not observed
            QCOMPARE(p.read, p.written);
            QVERIFY(p.maxFill <= p.capacity);
        }
    }

private slots:
    void everyScenarioTeachesItsFact_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Assignments>("assignments");
        QTest::addColumn<int>("pipes");
        QTest::addColumn<int>("processes");
        QTest::newRow("simple") << "simple" << Assignments {{"message", "Hello, kernel buffer"}} << 1 << 1;
        QTest::newRow("parent-child") << "parent-child" << Assignments {} << 1 << 2;
        QTest::newRow("parent-child 64K message")
            << "parent-child" << Assignments {{"message", std::string(65536, 'x')}} << 1 << 2;
        QTest::newRow("bidirectional") << "bidirectional" << Assignments {} << 2 << 2;
        QTest::newRow("subprocess cat") << "subprocess" << Assignments {} << 3 << 2;
        QTest::newRow("nonblocking") << "nonblocking" << Assignments {{"delay-ms", "50"}, {"retry-ms", "10"}} << 1 << 2;
        QTest::newRow("select 2") << "select" << Assignments {} << 3 << 3;
        QTest::newRow("select 16 of 5") << "select" << Assignments {{"pipes", "16"}, {"written", "5"}} << 17 << 17;
        QTest::newRow("select 64 of 64") << "select" << Assignments {{"pipes", "64"}, {"written", "64"}} << 65 << 65;
        QTest::newRow("large-transfer") << "large-transfer" << Assignments {} << 1 << 2;
        QTest::newRow("large-transfer odd chunk, small pipe")
            << "large-transfer" << Assignments {{"total", "300000"}, {"chunk", "1000"}, {"capacity", "4K"}} << 1 << 2;
    }

    void everyScenarioTeachesItsFact()
    {
        QFETCH(QString, name);
        QFETCH(Assignments, assignments);
        QFETCH(int, pipes);
        QFETCH(int, processes);
        RunHarness run;
        runClean(run, name.toStdString(), assignments);
        QCOMPARE(static_cast<int>(run.state().pipes().size()), pipes);
        QCOMPARE(static_cast<int>(run.state().processes().size()), processes);
        checkPipesBalanced(run);
        QCOMPARE(countNotes(run, "MISMATCH"), 0);
        // Each process's exit status was 0, seen by its parent or the runner.
        for (const ProcessInfo &p : run.state().processes())
            QVERIFY2(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0, p.role.c_str());
    }

    void bytesReadEqualBytesWritten()
    {
        RunHarness run;
        const std::string message = "byte for byte: \x01\x02 binary too";
        runClean(run, "parent-child", {{"message", message}});
        std::string written, read;
        for (const Event &e : run.events()) {
            if (e.kind == EventKind::Write && e.result > 0)
                written += std::string(e.textView());
            if (e.kind == EventKind::Read && e.result > 0)
                read += std::string(e.textView());
        }
        QCOMPARE(read, written);
        QCOMPARE(run.state().pipes().front().written, static_cast<std::int64_t>(message.size()));
        const std::string note = "all " + std::to_string(message.size()) + " bytes arrived intact";
        QCOMPARE(countNotes(run, note.c_str()), 1);
    }

    void eofOnlyAfterLastWriteEndClosed()
    {
        RunHarness run;
        runClean(run, "parent-child", {});
        const std::uint64_t inode = run.state().pipes().front().inode;
        std::int64_t lastWriteEndClose = 0;
        std::int64_t eofAt = 0;
        // Which fds are write ends, per process, from the pipe2 and fork events.
        std::map<int, std::set<int>> writeEnds;
        for (const Event &e : run.events()) {
            if (e.kind == EventKind::PipeCreated)
                writeEnds[e.pid].insert(e.fd2);
            if (e.kind == EventKind::Fork)
                writeEnds[e.otherPid] = writeEnds[e.pid];
            if (e.kind == EventKind::Close && e.inode == inode && writeEnds[e.pid].count(e.fd))
                lastWriteEndClose = std::max(lastWriteEndClose, e.startNs);
            if (e.isEof() && e.inode == inode)
                eofAt = e.timeNs;
        }
        QVERIFY(lastWriteEndClose > 0);
        QVERIFY(eofAt > 0);
        QVERIFY2(lastWriteEndClose < eofAt, "EOF arrived before the last write end was closed");
    }

    void nonblockingReadGetsEagainThenData()
    {
        RunHarness run;
        runClean(run, "nonblocking", {{"delay-ms", "100"}, {"retry-ms", "20"}, {"message", "finally"}});
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

    void selectReportsExactlyTheWrittenPipes_data()
    {
        QTest::addColumn<int>("pipes");
        QTest::addColumn<int>("written");
        QTest::newRow("1 of 1") << 1 << 1;
        QTest::newRow("1 of 2") << 2 << 1;
        QTest::newRow("3 of 8") << 8 << 3;
        QTest::newRow("0 of 4") << 4 << 0;
        QTest::newRow("10 of 32") << 32 << 10;
    }

    void selectReportsExactlyTheWrittenPipes()
    {
        QFETCH(int, pipes);
        QFETCH(int, written);
        RunHarness run;
        runClean(run, "select",
            {{"pipes", std::to_string(pipes)}, {"written", std::to_string(written)}, {"timeout-ms", "300"}});
        // The parent's read fd of each pipe, by inode.
        std::map<std::uint64_t, int> readFdOf;
        const int parent = run.state().processes().front().pid;
        for (const Event &e : run.eventsOf(EventKind::PipeCreated))
            readFdOf[e.inode] = e.fd;
        std::set<int> writtenFds;
        for (const Event &e : run.eventsOf(EventKind::Write))
            writtenFds.insert(readFdOf[e.inode]);
        QCOMPARE(static_cast<int>(writtenFds.size()), written);
        std::set<int> readyFds;
        for (const Event &e : run.eventsOf(EventKind::Select)) {
            QCOMPARE(e.pid, parent);
            for (int fd = 0; fd < Event::kMaxFd; ++fd) {
                if (Event::bit(e.ready, fd)) {
                    QVERIFY2(writtenFds.count(fd), "select reported a pipe nobody wrote to");
                    readyFds.insert(fd);
                }
            }
        }
        QCOMPARE(readyFds, writtenFds);
    }

    void largeTransferArrivesIntactAndWriterBlocksWhenFull()
    {
        RunHarness run;
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunRequest request;
        request.scenario = "large-transfer";
        request.assignments = {{"reader-delay-ms", "2"}};
        QVERIFY(run.start(request));
        // The writer (the parent) is seen by the kernel asleep in pipe_write: the pipe is full.
        const int blocked = run.waitFor([](const Event &e) {
            return e.kind == EventKind::Blocked && e.textView().find("anon_pipe_write") != std::string_view::npos;
        });
        QVERIFY2(blocked >= 0, "the writer was never seen blocked on a full pipe");
        QCOMPARE(run.events()[static_cast<std::size_t>(blocked)].pid, run.state().processes().front().pid);
        QVERIFY(run.finish(60000));
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        const PipeInfo &pipe = run.state().pipes().front();
        QCOMPARE(pipe.written, std::int64_t {1048576});
        QCOMPARE(pipe.read, std::int64_t {1048576});
        QCOMPARE(pipe.maxFill, std::int64_t {65536});
        QVERIFY(pipe.eofSeen);
        QCOMPARE(countNotes(run, "1048576 of 1048576 bytes, every byte intact"), 1);
        run.release();
        QVERIFY(noChildrenLeft());
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
    }

    void missingProgramFailsWithEnoent()
    {
        RunHarness run;
        runClean(run, "subprocess", {{"program", "pipescope-no-such-program"}}, OutcomeFailed);
        const auto failed = run.eventsOf(EventKind::ExecFailed);
        QCOMPARE(failed.size(), std::size_t {1});
        QCOMPARE(failed.front().err, ENOENT);
        // The parent learned it through the close-on-exec pipe: 4 bytes of errno instead of EOF.
        bool gotErrno = false;
        for (const Event &e : run.eventsOf(EventKind::Read))
            gotErrno |= e.pid == run.state().processes().front().pid && e.result == 4;
        QVERIFY(gotErrno);
        const ProcessInfo &child = run.state().processes().at(1);
        QVERIFY(WIFEXITED(child.status));
        QCOMPARE(WEXITSTATUS(child.status), 127);
    }

    void externalProgramWithArguments()
    {
        RunHarness run;
        runClean(run, "subprocess", {{"program", "tr"}, {"args", "a-z A-Z"}, {"message", "shout"}});
        const auto reads = run.eventsOf(EventKind::Read);
        const bool sawUpper = std::any_of(
            reads.begin(), reads.end(), [](const Event &e) { return e.textView() == std::string_view("SHOUT"); });
        QVERIFY(sawUpper);
        QVERIFY(!run.state().processes().at(1).external); // traced by the runner
    }
};

QTEST_GUILESS_MAIN(TestScenarios)
#include "tst_scenarios.moc"
