// Runs the pitfall scenarios about what a pipe holds (capacity, deadlock,
// atomic-writes) for real and checks, from the kernel's own state (/proc, wait
// statuses, the runner's watchdog), the fact each one teaches; then that every
// run, hung or not, left nothing behind. The others are in tst_pitfalls_ends.cpp.
#include "core/run/procprobe.h"
#include "core/run/scenario.h"
#include "pitfallrun.h"
#include "pitfalltest.h"

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <limits.h>
#include <sys/wait.h>

#include <cerrno>
#include <set>

using namespace pipescope;
using namespace pipescope::test;

class TestPitfallsCapacity : public PitfallTest
{
    Q_OBJECT

private slots:
    void init() { m_fdsBefore = ProcProbe::countOpenFds(); }

    void capacityWriterBlocksWhenPipeIsFull_data()
    {
        QTest::addColumn<QString>("capacity");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("4K") << "4K" << qint64 {4096};
        QTest::newRow("5000 rounds up to 8K") << "5000" << qint64 {8192};
        QTest::newRow("64K") << "64K" << qint64 {65536};
        QTest::newRow("1M") << "1M" << qint64 {1048576};
    }

    void capacityWriterBlocksWhenPipeIsFull()
    {
        QFETCH(QString, capacity);
        QFETCH(qint64, expected);
        PitfallRun run;
        QVERIFY(run.start(
            "capacity", {{"capacity", capacity.toStdString()}, {"reader-delay-ms", "4000"}, {"watchdog-ms", "8000"}}));
        const int resized = run.waitFor(kindIs(EventKind::SetPipeSize));
        QVERIFY(resized >= 0);
        const Event set = run.events()[static_cast<std::size_t>(resized)];
        QCOMPARE(set.result, expected); // what the kernel chose, a power-of-two number of pages
        const pid_t writer = set.pid;
        QVERIFY2(run.waitFor(blockedIn(writer, "anon_pipe_write")) >= 0, "the writer never blocked");
        const auto probe = ProcProbe::probe(writer);
        QVERIFY(probe);
        QCOMPARE(probe->wchan, std::string("anon_pipe_write"));
        QCOMPARE(probe->syscall, 1L); // write
        // Nothing read yet, and the pipe holds exactly its capacity.
        const PipeInfo p = run.pipeNow(set.inode);
        QCOMPARE(p.read, std::int64_t {0});
        QCOMPARE(p.written, std::int64_t {expected});
        QCOMPARE(p.capacity, std::int64_t {expected});
        // The lesson is made; skip the reader's wait.
        run.session().cancel();
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeCancelled));
        checkNothingLeft(run);
    }

    void capacityWaitsThenCompletes()
    {
        PitfallRun run;
        QVERIFY(run.start("capacity", {{"capacity", "16K"}, {"reader-delay-ms", "300"}}));
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        const PipeInfo &p = run.state().pipes().front();
        QCOMPARE(p.written, std::int64_t {32768});
        QCOMPARE(p.read, std::int64_t {32768});
        QCOMPARE(p.maxFill, std::int64_t {16384});
        bool blocked = false;
        for (const Event &e : run.eventsOf(EventKind::Blocked))
            blocked |= e.pid == run.state().processes().front().pid && contains(e.textView(), "anon_pipe_write");
        QVERIFY2(blocked, "the writer never waited for the sleeping reader");
        checkNothingLeft(run);
    }

    void deadlockBothBlockInWrite_data()
    {
        QTest::addColumn<QString>("bytes");
        QTest::addColumn<int>("paramMs");
        QTest::addColumn<int>("requestMs");
        QTest::addColumn<int>("limitMs");
        QTest::newRow("128K, watchdog-ms 1000") << "128K" << 1000 << 0 << 1000;
        QTest::newRow("1M, watchdog-ms 500") << "1M" << 500 << 0 << 500;
        QTest::newRow("the request's limit wins") << "128K" << 5000 << 700 << 700;
    }

    void deadlockBothBlockInWrite()
    {
        QFETCH(QString, bytes);
        QFETCH(int, paramMs);
        QFETCH(int, requestMs);
        QFETCH(int, limitMs);
        PitfallRun run;
        QVERIFY(run.start(
            "deadlock", {{"bytes", bytes.toStdString()}, {"watchdog-ms", std::to_string(paramMs)}}, requestMs));
        QVERIFY(run.waitFor(kindIs(EventKind::Fork)) >= 0);
        const pid_t parent = run.pidOf("parent");
        const pid_t child = run.pidOf("child");
        QVERIFY(parent > 0 && child > 0);
        QVERIFY(run.waitFor(blockedIn(parent, "anon_pipe_write")) >= 0);
        QVERIFY(run.waitFor(blockedIn(child, "anon_pipe_write")) >= 0);
        for (pid_t pid : {parent, child}) {
            const auto probe = ProcProbe::probe(pid);
            QVERIFY(probe);
            QCOMPARE(probe->wchan, std::string("anon_pipe_write"));
            QCOMPARE(probe->syscall, 1L);
        }
        // Both pipes are full and nobody has read a byte.
        for (const PipeInfo &p : run.state().pipes()) {
            const PipeInfo now = run.pipeNow(p.inode);
            QCOMPARE(now.written, now.capacity);
            QCOMPARE(now.read, std::int64_t {0});
        }
        checkWatchdog(run, limitMs);
        const std::string text = run.watchdogText();
        QVERIFY2(contains(text, std::to_string(parent) + " (parent) blocked in write("), text.c_str());
        QVERIFY2(contains(text, std::to_string(child) + " (child) blocked in write("), text.c_str());
        QVERIFY2(contains(text, "read end held by " + std::to_string(child) + " (child)"), text.c_str());
        QVERIFY2(contains(text, "read end held by " + std::to_string(parent) + " (parent)"), text.c_str());
        checkNothingLeft(run);
    }

    void atomicWritesNeverSplitUpToPipeBuf_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("records");
        QTest::addColumn<bool>("fixed");
        QTest::addColumn<bool>("atomic");
        QTest::newRow("1 byte") << "1"
                                << "400" << false << true;
        QTest::newRow("512") << "512"
                             << "200" << false << true;
        QTest::newRow("4000") << "4000"
                              << "100" << false << true;
        QTest::newRow("4096 = PIPE_BUF") << "4096"
                                         << "100" << false << true;
        QTest::newRow("256K, fixed: records cut to 4096") << "256K"
                                                          << "100" << true << true;
        QTest::newRow("256K: split") << "256K"
                                     << "8" << false << false;
    }

    void atomicWritesNeverSplitUpToPipeBuf()
    {
        QFETCH(QString, size);
        QFETCH(QString, records);
        QFETCH(bool, fixed);
        QFETCH(bool, atomic);
        PitfallRun run;
        QVERIFY(run.start("atomic-writes",
            {{"writers", "8"}, {"size", size.toStdString()}, {"records", records.toStdString()},
                {"fixed", fixed ? "true" : "false"}}));
        QVERIFY(run.finish(30000));
        const int splits = run.interleavings();
        QVERIFY2(splits >= 0, "the reader did not report");
        if (atomic) {
            QCOMPARE(splits, 0);
            QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
            // The kernel took every logged write whole.
            for (const Event &e : run.eventsOf(EventKind::Write)) {
                QVERIFY(e.requested <= PIPE_BUF);
                QCOMPARE(e.result, e.requested);
            }
        } else {
            // Larger writes are split and other writers' bytes land in between; the reader finds them.
            QVERIFY2(splits > 0, "no record was split");
            QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeFailed));
        }
        // Every writer is a process of its own, and its Write events (pid) tell whose chunk is whose.
        for (char w = 'A'; w < 'A' + 8; ++w) {
            const pid_t pid = run.pidOf(std::string("writer ") + w);
            QVERIFY(pid > 0);
            bool wrote = false;
            for (const Event &e : run.eventsOf(EventKind::Write)) {
                if (e.pid == pid) {
                    wrote = true;
                    QCOMPARE(e.textView().front(), w);
                }
            }
            QVERIFY(wrote);
        }
        const PipeInfo &p = run.state().pipes().front();
        QCOMPARE(p.read, p.written);
        checkNothingLeft(run);
    }

    void cliExplainsADeadlockAndExits3()
    {
        const QString cli = qEnvironmentVariable("PIPESCOPE_CLI");
        if (cli.isEmpty())
            QSKIP("PIPESCOPE_CLI is not set (run through ctest)");
        QProcess process;
        process.start(cli,
            {QStringLiteral("run"), QStringLiteral("deadlock"), QStringLiteral("--set"),
                QStringLiteral("watchdog-ms=500")});
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 3);
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(out.contains(QLatin1String("WATCHDOG after 500 ms")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("(parent) blocked in write(")), qPrintable(out));
        QVERIFY2(err.contains(QLatin1String("watchdog")), qPrintable(err));
        // Every pid the run printed (runner, scenario processes) is gone.
        std::set<qint64> pids;
        const QRegularExpression pidPattern(
            QStringLiteral("^\\[\\s*[0-9.]+\\]\\s+(\\d+) "), QRegularExpression::MultilineOption);
        for (auto it = pidPattern.globalMatch(out); it.hasNext();)
            pids.insert(it.next().captured(1).toLongLong());
        QVERIFY(pids.size() >= 3);
        for (qint64 pid : pids)
            QVERIFY2(processGone(static_cast<pid_t>(pid)), qPrintable(QString::number(pid)));
        errno = 0;
        QVERIFY(waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD);
    }
};

QTEST_GUILESS_MAIN(TestPitfallsCapacity)
#include "tst_pitfalls_capacity.moc"
