// Runs the pitfall scenarios about who holds a pipe's ends and who is left
// (no-close-eof, epipe, fd-leak-exec, zombie) for real and checks, from the
// kernel's own state (/proc, wait statuses, errno, the runner's watchdog), the
// fact each one teaches; then that every run, hung or not, left nothing behind.
// Also the checks over all seven pitfalls: registered, refused, fixed versions.
// The capacity pitfalls are in tst_pitfalls_capacity.cpp.
#include "core/run/procprobe.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "pitfallrun.h"
#include "pitfalltest.h"

#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>

using namespace pipescope;
using namespace pipescope::test;

class TestPitfallsEnds : public PitfallTest
{
    Q_OBJECT

private slots:
    void init() { m_fdsBefore = ProcProbe::countOpenFds(); }

    void everyPitfallIsRegistered_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name :
            {"no-close-eof", "epipe", "capacity", "deadlock", "fd-leak-exec", "atomic-writes", "zombie"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void everyPitfallIsRegistered()
    {
        QFETCH(QString, name);
        const Scenario *s = ScenarioCatalog::find(name.toStdString());
        QVERIFY(s);
        QVERIFY(!s->description().empty());
        QVERIFY(s->description().size() <= 120);
        bool fixed = false;
        bool watchdog = false;
        for (const ParamSpec &p : s->params()) {
            if (p.name == "fixed") {
                fixed = p.type == ParamType::Bool && p.defaultValue == "false";
            } else if (p.name == "watchdog-ms") {
                watchdog = p.type == ParamType::Int && p.defaultValue == "5000" && p.min == 100 && p.max == 60000;
            }
        }
        QVERIFY(fixed);
        QVERIFY(watchdog);
        // After the seven lessons of the happy path, in teaching order.
        const auto &all = ScenarioCatalog::all();
        QVERIFY(std::find(all.begin(), all.end(), s) - all.begin() >= 7);
    }

    void badCombinationStartsNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Assignments>("assignments");
        QTest::newRow("zombie longer than the watchdog")
            << "zombie" << Assignments {{"zombie-ms", "3000"}, {"watchdog-ms", "3000"}};
        QTest::newRow("reader sleeps past the watchdog") << "capacity" << Assignments {{"reader-delay-ms", "6000"}};
        QTest::newRow("watchdog below its range") << "deadlock" << Assignments {{"watchdog-ms", "99"}};
        QTest::newRow("capacity above 1M") << "capacity" << Assignments {{"capacity", "2M"}};
        QTest::newRow("too many writers") << "atomic-writes" << Assignments {{"writers", "9"}};
    }

    void badCombinationStartsNothing()
    {
        QFETCH(QString, name);
        QFETCH(Assignments, assignments);
        PitfallRun run;
        QVERIFY(!run.start(name.toStdString(), assignments));
        QVERIFY(!run.error().empty());
        errno = 0;
        QVERIFY(waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD);
        QCOMPARE(ProcProbe::countOpenFds(), m_fdsBefore);
    }

    void noCloseEofReaderWaitsOnParentsWriteEnd()
    {
        PitfallRun run;
        const int limit = 1500;
        QVERIFY2(run.start("no-close-eof", {{"watchdog-ms", std::to_string(limit)}}), run.error().c_str());
        const int created = run.waitFor(kindIs(EventKind::PipeCreated));
        QVERIFY(created >= 0);
        const Event pipe = run.events()[static_cast<std::size_t>(created)];
        const pid_t parent = pipe.pid;
        QVERIFY(run.waitFor(kindIs(EventKind::Fork)) >= 0);
        const pid_t child = run.pidOf("child");
        QVERIFY(child > 0);
        QVERIFY2(run.waitFor(blockedIn(child, "anon_pipe_read")) >= 0, "the child was never seen blocked in read");

        // The kernel's view while it hangs: the child sleeps in read() on the pipe ...
        const auto probe = ProcProbe::probe(child);
        QVERIFY(probe);
        QCOMPARE(probe->state, 'S');
        QCOMPARE(probe->wchan, std::string("anon_pipe_read"));
        QCOMPARE(probe->syscall, 0L); // read
        QCOMPARE(probe->arg0, static_cast<long>(pipe.fd));
        // ... and the parent's fd is still a write end of that very pipe, the only one left.
        bool parentHoldsWriteEnd = false;
        for (const FdEntry &fd : ProcProbe::fdTable(parent))
            parentHoldsWriteEnd |= fd.fd == pipe.fd2 && fd.pipeInode == pipe.inode && fd.writeEnd;
        QVERIFY2(parentHoldsWriteEnd, "the parent's write end is not open");
        for (const FdEntry &fd : ProcProbe::fdTable(child))
            QVERIFY2(!(fd.pipeInode == pipe.inode && fd.writeEnd), "the child holds a write end itself");
        QCOMPARE(run.state().openEnds(pipe.inode, true), 1);
        QVERIFY(!run.pipeNow(pipe.inode).eofSeen);

        checkWatchdog(run, limit);
        const std::string text = run.watchdogText();
        QVERIFY2(contains(text,
                     std::to_string(child) + " (child) blocked in read(" + std::to_string(pipe.fd)
                         + "): pipe empty, write end kept open by " + std::to_string(parent) + " (parent) fd "
                         + std::to_string(pipe.fd2)),
            text.c_str());
        QVERIFY(run.eventsOf(EventKind::Read).back().result > 0); // data came, EOF never did
        checkNothingLeft(run);
    }

    void epipeKillsOrFailsTheWriter_data()
    {
        QTest::addColumn<bool>("ignore");
        QTest::newRow("SIGPIPE kills the writer") << false;
        QTest::newRow("SIGPIPE ignored: EPIPE") << true;
    }

    void epipeKillsOrFailsTheWriter()
    {
        QFETCH(bool, ignore);
        PitfallRun run;
        QVERIFY(run.start("epipe", {{"ignore-sigpipe", ignore ? "true" : "false"}}));
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeFailed));
        const pid_t writer = run.pidOf("writer");
        const pid_t reader = run.pidOf("reader");
        const ProcessInfo *w = run.state().process(writer);
        QVERIFY(w);
        // When the last read end closed: the reader's close of its fd, entered before the writer's failure.
        std::int64_t readerClosedNs = 0;
        for (const Event &e : run.eventsOf(EventKind::Close))
            readerClosedNs = e.pid == reader ? e.startNs : readerClosedNs;
        QVERIFY(readerClosedNs > 0);
        std::vector<Event> epipes;
        for (const Event &e : run.eventsOf(EventKind::Write)) {
            if (e.pid == writer && e.err == EPIPE)
                epipes.push_back(e);
        }
        if (ignore) {
            QVERIFY2(WIFEXITED(w->status) && WEXITSTATUS(w->status) == 1, "the writer should exit 1 after EPIPE");
            QCOMPARE(epipes.size(), std::size_t {1});
            QCOMPARE(epipes.front().result, std::int64_t {-1});
            QVERIFY(epipes.front().isBrokenPipe());
            QVERIFY(readerClosedNs < epipes.front().timeNs);
        } else {
            QVERIFY2(WIFSIGNALED(w->status), "the writer was not killed");
            QCOMPARE(WTERMSIG(w->status), SIGPIPE);
            QVERIFY(epipes.empty()); // it died inside write(): nothing returned
        }
        // The writer had to wait for the reader (more than a pipe holds), so it wrote less than asked.
        const PipeInfo &p = run.state().pipes().front();
        QVERIFY(p.written < 256 * 1024);
        QCOMPARE(p.read, std::int64_t {4096});
        checkNothingLeft(run);
    }

    void fdLeakExecProgramHoldsTheWriteEnd()
    {
        PitfallRun run;
        const int limit = 1500;
        QVERIFY(run.start("fd-leak-exec", {{"watchdog-ms", std::to_string(limit)}}));
        const int created = run.waitFor(kindIs(EventKind::PipeCreated));
        QVERIFY(created >= 0);
        const Event data = run.events()[static_cast<std::size_t>(created)];
        QCOMPARE(data.status & O_CLOEXEC, 0);
        const int exec = run.waitFor(kindIs(EventKind::Exec));
        QVERIFY(exec >= 0);
        const pid_t cat = run.events()[static_cast<std::size_t>(exec)].pid;
        QVERIFY(run.waitFor([](const Event &e) {
            return e.kind == EventKind::Fork && contains(e.textView(), "reader");
        }) >= 0);
        const pid_t reader = run.pidOf("reader");
        QVERIFY2(run.waitFor(blockedIn(reader, "anon_pipe_read")) >= 0, "the reader never blocked");
        QVERIFY2(run.waitFor(blockedIn(cat, "anon_pipe_read")) >= 0, "cat never started reading");

        // It is the exec'd program: /proc says so, and its fd table holds the leaked write end.
        const auto exe = ProcProbe::readFile("/proc/" + std::to_string(cat) + "/comm");
        QVERIFY(exe);
        QCOMPARE(*exe, std::string("cat\n"));
        bool leaked = false;
        for (const FdEntry &fd : ProcProbe::fdTable(cat))
            leaked |= fd.fd == data.fd2 && fd.pipeInode == data.inode && fd.writeEnd && !fd.closeOnExec;
        QVERIFY2(leaked, "cat does not hold the write end");
        // The parent closed its own; cat's copy is the only write end left.
        int writeEnds = 0;
        for (pid_t pid : {run.pidOf("parent"), cat, reader}) {
            for (const FdEntry &fd : ProcProbe::fdTable(pid))
                writeEnds += fd.pipeInode == data.inode && fd.writeEnd;
        }
        QCOMPARE(writeEnds, 1);

        checkWatchdog(run, limit);
        const std::string text = run.watchdogText();
        QVERIFY2(contains(text,
                     std::to_string(reader) + " (reader) blocked in read(" + std::to_string(data.fd)
                         + "): pipe empty, write end kept open by " + std::to_string(cat) + " (cat) fd "
                         + std::to_string(data.fd2)),
            text.c_str());
        checkNothingLeft(run);
    }

    void zombieUntilReaped()
    {
        PitfallRun run;
        QVERIFY(run.start("zombie", {{"zombie-ms", "1500"}}));
        QVERIFY(run.waitFor(kindIs(EventKind::Fork)) >= 0);
        const pid_t parent = run.pidOf("parent");
        const pid_t child = run.pidOf("child");
        const int exited
            = run.waitFor([child](const Event &e) { return e.kind == EventKind::Exited && e.pid == child; });
        QVERIFY2(exited >= 0, "the runner never saw the child exit");
        // Exited, not reaped: the kernel keeps it as a zombie with its exit status.
        const auto zombie = ProcProbe::probe(child);
        QVERIFY(zombie);
        QCOMPARE(zombie->state, 'Z');
        QVERIFY(WIFEXITED(zombie->exitCode) && WEXITSTATUS(zombie->exitCode) == 0);
        QVERIFY(run.eventsOf(EventKind::Wait).empty());
        const std::vector<pid_t> children = ProcProbe::children(parent);
        QVERIFY(std::find(children.begin(), children.end(), child) != children.end());

        const int waited
            = run.waitFor([child](const Event &e) { return e.kind == EventKind::Wait && e.otherPid == child; }, 10000);
        QVERIFY2(waited >= 0, "the parent never waited");
        // Reaped by waitpid: the kernel has let it go.
        QVERIFY(!ProcProbe::probe(child));
        const Event &wait = run.events()[static_cast<std::size_t>(waited)];
        const Event &exit = run.events()[static_cast<std::size_t>(exited)];
        QVERIFY2(wait.timeNs - exit.timeNs >= 750LL * 1000000, "the zombie did not last");
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        bool notedZ = false;
        for (const Event &e : run.eventsOf(EventKind::Note))
            notedZ |= e.pid == parent && contains(e.textView(), "in state Z");
        QVERIFY(notedZ);
        checkNothingLeft(run);
    }

    void fixedVersionsRunClean_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Assignments>("assignments");
        QTest::newRow("no-close-eof") << "no-close-eof" << Assignments {};
        QTest::newRow("epipe") << "epipe" << Assignments {};
        QTest::newRow("epipe, SIGPIPE ignored") << "epipe" << Assignments {{"ignore-sigpipe", "true"}};
        QTest::newRow("capacity") << "capacity" << Assignments {};
        QTest::newRow("capacity 4K, 1M through it") << "capacity" << Assignments {{"capacity", "4K"}, {"bytes", "1M"}};
        QTest::newRow("deadlock") << "deadlock" << Assignments {};
        QTest::newRow("deadlock 4M") << "deadlock" << Assignments {{"bytes", "4M"}};
        QTest::newRow("fd-leak-exec") << "fd-leak-exec" << Assignments {};
        QTest::newRow("atomic-writes") << "atomic-writes" << Assignments {};
        QTest::newRow("zombie") << "zombie" << Assignments {};
    }

    void fixedVersionsRunClean()
    {
        QFETCH(QString, name);
        QFETCH(Assignments, assignments);
        assignments.emplace_back("fixed", "true");
        assignments.emplace_back("watchdog-ms", "3000");
        PitfallRun run;
        QVERIFY2(run.start(name.toStdString(), assignments), run.error().c_str());
        QVERIFY(run.finish(30000));
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        QVERIFY(run.eventsOf(EventKind::Watchdog).empty());
        for (const ProcessInfo &p : run.state().processes()) {
            QVERIFY2(p.state == ProcessState::Reaped, p.role.c_str());
            QVERIFY2(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0, p.role.c_str());
        }
        for (const PipeInfo &p : run.state().pipes()) {
            if (p.creator == run.pidOf("parent") && p.written > 0 && !p.externalReader)
                QCOMPARE(p.read, p.written);
        }
        checkNothingLeft(run);
    }
};

QTEST_GUILESS_MAIN(TestPitfallsEnds)
#include "tst_pitfalls_ends.moc"
