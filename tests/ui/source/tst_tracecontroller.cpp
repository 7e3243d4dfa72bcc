// TraceController: a user's program traced by pipescope-cli in a child, its
// JSON lines read back into the same events and drawn by the same scene.
#include "core/run/procprobe.h"
#include "runharness.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/source/tracecontroller.h"
#include "uiwait.h"

#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include <signal.h>
#include <unistd.h>

using namespace pipescope;

class TstTraceController : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(!TraceController::cliPath().isEmpty(), "pipescope-cli not found (PIPESCOPE_CLI)"); }

    void shellPipelineBecomesTheSameEvents()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        {
            TraceController c;
            PipeScene scene;
            QObject::connect(&c, &EventSource::runStarted, &scene, &PipeScene::clearRun);
            QObject::connect(&c, &EventSource::eventsArrived, &scene,
                [&](const QVector<Event> &events) { scene.applyEvents(events, c.state()); });
            std::vector<Event> seen;
            QObject::connect(&c, &EventSource::eventsArrived, &c,
                [&](const QVector<Event> &events) { seen.insert(seen.end(), events.begin(), events.end()); });
            QSignalSpy finished(&c, &EventSource::runFinished);
            QString error;
            QVERIFY2(c.start({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hi | cat")}, 0, &error),
                qPrintable(error));
            QVERIFY(finished.count() == 1 || finished.wait(30000));
            QCOMPARE(finished.at(0).at(0).toInt(), int {OutcomeOk});
            QCOMPARE(c.exitCode(), 0);
            QCOMPARE(c.badLines(), 0);
            QVERIFY2(c.output().contains("hi\n"), c.output().constData()); // cat's output, to its file

            std::set<EventKind> kinds;
            std::uint64_t inode = 0;
            for (const Event &e : seen) {
                kinds.insert(e.kind);
                if (e.kind == EventKind::PipeCreated)
                    inode = e.inode;
            }
            for (const EventKind k : {EventKind::RunStarted, EventKind::PipeCreated, EventKind::Fork, EventKind::Exec,
                     EventKind::Write, EventKind::Read, EventKind::RunFinished})
                QVERIFY2(kinds.count(k), eventKindName(k));
            QVERIFY(inode != 0);
            // echo wrote "hi\n" into the pipe, cat read it all, then EOF.
            const PipeInfo *pipe = c.state().pipe(inode);
            QVERIFY(pipe);
            QCOMPARE(pipe->written, 3);
            QCOMPARE(pipe->read, 3);
            QVERIFY(pipe->eofSeen);
            // A node for the shell and each of its two children, named by what they ran.
            QVERIFY(c.state().processes().size() >= 3);
            for (const ProcessInfo &p : c.state().processes())
                QVERIFY(scene.processItem(p.pid));
            QVERIFY(scene.pipeItem(inode));
            bool catSeen = false;
            for (const ProcessInfo &p : c.state().processes())
                catSeen |= QString::fromStdString(p.program).startsWith(QLatin1String("cat")) && !p.external;
            QVERIFY2(catSeen, "cat's exec is traced, not external");
            // Its node is named by what it runs now.
            bool catNode = false;
            for (const ProcessInfo &p : c.state().processes())
                catNode |= p.role == "cat" && scene.processItem(p.pid)
                    && scene.processItem(p.pid)->role() == QLatin1String("cat");
            QVERIFY2(catNode, "the node of the process that exec'd cat says cat");
        }
        QVERIFY2(test::noChildrenLeft(), "the CLI or the traced program was left behind");
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }

    void stopKillsTheTracedTree()
    {
        TraceController c;
        QSignalSpy finished(&c, &EventSource::runFinished);
        QString error;
        QVERIFY2(c.start({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("sleep 60 | cat")}, 0, &error),
            qPrintable(error));
        // Both stages have exec'd: the tracer saw them.
        QVERIFY(test::waitUntil(
            [&] {
                int execs = 0;
                for (const ProcessInfo &p : c.state().processes())
                    execs += !p.program.empty();
                return execs >= 2;
            },
            &c, &EventSource::eventsArrived, 20000));
        std::vector<int> pids;
        for (const ProcessInfo &p : c.state().processes())
            pids.push_back(p.pid);
        c.stop();
        QCOMPARE(finished.count(), 1);
        for (const int pid : pids)
            QVERIFY(test::processGone(pid));
        QVERIFY(test::noChildrenLeft());
    }

    void refusesAProgramThatCannotRun()
    {
        TraceController c;
        QString error;
        QVERIFY(!c.start({QStringLiteral("no-such-program-xyz")}, 0, &error));
        QCOMPARE(error, QStringLiteral("cannot run 'no-such-program-xyz': No such file or directory"));
        QCOMPARE(c.phase(), EventSource::Phase::Idle);
        QVERIFY(test::noChildrenLeft());
        // A relative path is looked for where the program would run.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QCOMPARE(TraceController::refusal({QStringLiteral("./a.out")}, dir.path()),
            QStringLiteral("cannot run './a.out': No such file or directory"));
        c.setWorkingDirectory(dir.filePath(QStringLiteral("missing")));
        QVERIFY(!c.start({QStringLiteral("true")}, 0, &error));
        QVERIFY2(error.startsWith(QLatin1String("no such directory")), qPrintable(error));
    }

    // Paused from the start: the tracer holds sh before its first pipe call, and nothing moves until Step.
    void stepsAHeldProgramOneCallAtATime()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString out = dir.filePath(QStringLiteral("out"));
        {
            TraceController c;
            c.setWorkingDirectory(dir.path());
            std::vector<Event> seen;
            QObject::connect(&c, &EventSource::eventsArrived, &c,
                [&](const QVector<Event> &events) { seen.insert(seen.end(), events.begin(), events.end()); });
            QSignalSpy events(&c, &EventSource::eventsArrived);
            QSignalSpy refused(&c, &EventSource::stepRefused);
            QSignalSpy finished(&c, &EventSource::runFinished);
            QString error;
            // Relative to the working directory given: the redirection proves where it ran.
            QVERIFY2(c.start({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hello | cat > out")}, 0,
                         &error, true),
                qPrintable(error));
            QCOMPARE(c.phase(), EventSource::Phase::Paused);
            QVERIFY(c.canStep() && c.canPause());
            QVERIFY(test::waitUntil([&] { return c.heldPid() != 0; }, &c, &EventSource::eventsArrived, 20000));
            const Event gate = seen.back();
            QCOMPARE(gate.kind, EventKind::GateWait);
            QCOMPARE(gate.pending, EventKind::PipeCreated); // sh's pipe(), before anything else it does with pipes
            QCOMPARE(c.state().process(gate.pid)->state, ProcessState::Held);
            // Held for real: no event comes while nobody steps, and the child that would create out never ran.
            events.clear();
            QVERIFY(!events.wait(400));
            QVERIFY(!QFileInfo::exists(out));

            // One Step: exactly that call, then the next gate.
            const std::size_t before = seen.size();
            c.step();
            QVERIFY(test::waitUntil([&] { return seen.size() > before && seen.back().kind == EventKind::GateWait; }, &c,
                &EventSource::eventsArrived, 20000));
            QCOMPARE(seen.size(), before + 2);
            QCOMPARE(seen[before].kind, EventKind::PipeCreated);
            QCOMPARE(seen[before].pid, gate.pid);
            QCOMPARE(seen[before + 1].pending, EventKind::Fork);
            QCOMPARE(refused.count(), 0);
            QCOMPARE(c.phase(), EventSource::Phase::Paused);
            QVERIFY(!QFileInfo::exists(out));

            // Resume at full speed: it runs to its end, every byte through the pipe.
            c.resume();
            QCOMPARE(c.phase(), EventSource::Phase::Running);
            QVERIFY(finished.count() == 1 || finished.wait(30000));
            QCOMPARE(finished.at(0).at(0).toInt(), int {OutcomeOk});
            QCOMPARE(c.exitCode(), 0);
            QCOMPARE(c.badLines(), 0);
            const PipeInfo *pipe = c.state().pipe(seen[before].inode);
            QVERIFY(pipe);
            QCOMPARE(pipe->written, 6);
            QCOMPARE(pipe->read, 6);
            QFile f(out);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), QByteArray("hello\n"));
            // A Step once it has ended releases nobody and is not kept.
            c.step();
            QCOMPARE(c.phase(), EventSource::Phase::Finished);
        }
        QVERIFY2(test::noChildrenLeft(), "the CLI or the traced program was left behind");
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }

    // Slow motion and pause while it runs: pace is applied at once, pause holds the next call.
    void pauseAndPaceWhileRunning()
    {
        TraceController c;
        QSignalSpy finished(&c, &EventSource::runFinished);
        QString error;
        // Enough calls to be caught mid-way at a 100 ms pace: 20 writes through one pipe.
        QVERIFY2(c.start({QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; "
                                            "do echo $i; done | cat")},
                     100, &error),
            qPrintable(error));
        QCOMPARE(c.phase(), EventSource::Phase::Running);
        // Paced: each call is held first (a GateWait), then goes on its own.
        QVERIFY(test::waitUntil([&] { return c.heldPid() != 0; }, &c, &EventSource::eventsArrived, 20000));
        c.pause();
        QCOMPARE(c.phase(), EventSource::Phase::Paused);
        // Paused: what was under way comes in, then the stream goes quiet for good (a paced run
        // sends an event every 100 ms) with one process held at its gate.
        QSignalSpy events(&c, &EventSource::eventsArrived);
        int busyWindows = 0;
        while (events.wait(500) && ++busyWindows < 10) { }
        QVERIFY2(busyWindows < 10, "events kept coming after Pause");
        QVERIFY(c.heldPid() != 0);
        QCOMPARE(c.state().process(c.heldPid())->state, ProcessState::Held);
        c.fullSpeed();
        QVERIFY(finished.count() == 1 || finished.wait(30000));
        QCOMPARE(c.exitCode(), 0);
        QVERIFY(c.output().contains("20\n"));
        QVERIFY(test::noChildrenLeft());
    }

    // Every live process asleep in a pipe call: Step says so instead of doing nothing.
    void stepSaysWhenEveryProcessIsAsleep()
    {
        TraceController c;
        QSignalSpy refused(&c, &EventSource::stepRefused);
        QString error;
        // One process reading its own pipe, whose write end it keeps: asleep for ever.
        QVERIFY2(c.start({QStringLiteral("python3"), QStringLiteral("-c"),
                             QStringLiteral("import os\nr, w = os.pipe()\nos.read(r, 1)")},
                     0, &error),
            qPrintable(error));
        QVERIFY(test::waitUntil(
            [&] {
                int live = 0;
                for (const ProcessInfo &p : c.state().processes()) {
                    if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped)
                        continue;
                    if (p.state != ProcessState::Blocked)
                        return false;
                    ++live;
                }
                return live > 0;
            },
            &c, &EventSource::eventsArrived, 20000));
        c.step();
        QCOMPARE(c.phase(), EventSource::Phase::Paused);
        QCOMPARE(refused.count(), 1);
        QCOMPARE(refused.at(0).at(0).toString(),
            QStringLiteral("every process is asleep in the kernel; Step cannot wake them"));
        // Nothing was sent for later: another Step is refused the same way.
        c.step();
        QCOMPARE(refused.count(), 2);
        c.stop();
        QCOMPARE(c.phase(), EventSource::Phase::Finished);
        QVERIFY(test::noChildrenLeft());
    }

    // Attached to a running pipeline: its events come, Stop detaches, and it runs on unharmed, untraced.
    void attachThenStopLeavesThePipelineRunning()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        QProcess pipeline;
        // A group of its own, so that the test can end every stage itself if something fails.
        pipeline.setChildProcessModifier([] { setpgid(0, 0); });
        pipeline.start(QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("for i in $(seq 1 40); do echo $i; sleep 0.1; done | cat")});
        QVERIFY(pipeline.waitForStarted());
        const qint64 sh = pipeline.processId();
        auto cleanup = qScopeGuard([&] {
            kill(static_cast<pid_t>(-sh), SIGKILL);
            pipeline.waitForFinished(5000);
        });
        std::set<int> pids;
        {
            TraceController c;
            QSignalSpy finished(&c, &EventSource::runFinished);
            QSignalSpy status(&c, &EventSource::statusChanged);
            QString error;
            QVERIFY2(c.attach(sh, 0, &error), qPrintable(error));
            QCOMPARE(c.title(), QStringLiteral("attached to %1 (sh)").arg(sh));
            QCOMPARE(status.count(), 1);
            QVERIFY2(status.at(0).at(0).toString().contains(QLatin1String("Stop detaches; the program keeps running")),
                qPrintable(status.at(0).at(0).toString()));
            // The loop's writes and cat's reads, on one pipe.
            QVERIFY(test::waitUntil(
                [&] {
                    for (const PipeInfo &p : c.state().pipes())
                        if (p.written >= 4 && p.read >= 4)
                            return true;
                    return false;
                },
                &c, &EventSource::eventsArrived, 20000));
            for (const ProcessInfo &p : c.state().processes())
                pids.insert(p.pid);
            QVERIFY(pids.count(static_cast<int>(sh)));
            c.stop();
            QCOMPARE(finished.count(), 1);
            QVERIFY2(c.endText(finished.at(0).at(0).toInt()).startsWith(QLatin1String("detached from")),
                qPrintable(c.endText(finished.at(0).at(0).toInt())));
        }
        // Still running, and no longer traced, every process that was.
        QCOMPARE(pipeline.state(), QProcess::Running);
        for (const int pid : pids) {
            QFile status(QStringLiteral("/proc/%1/status").arg(pid));
            if (!status.open(QIODevice::ReadOnly))
                continue; // a sleep that has ended since
            const QByteArray text = status.readAll();
            QVERIFY2(text.contains("\nTracerPid:\t0\n"), qPrintable(QStringLiteral("pid %1 still traced").arg(pid)));
        }
        // It ends as it would have: every line through cat, exit 0.
        QVERIFY(pipeline.waitForFinished(30000));
        QCOMPARE(pipeline.exitStatus(), QProcess::NormalExit);
        QCOMPARE(pipeline.exitCode(), 0);
        QByteArray expected;
        for (int i = 1; i <= 40; ++i)
            expected += QByteArray::number(i) + '\n';
        QCOMPARE(pipeline.readAllStandardOutput(), expected);
        cleanup.dismiss();
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }

    void attachRefusesWhatItMustNotTouch()
    {
        TraceController c;
        QString error;
        QVERIFY(!c.attach(1, 0, &error));
        QVERIFY2(error.contains(QLatin1String("PID 1")), qPrintable(error));
        QVERIFY(!c.attach(QCoreApplication::applicationPid(), 0, &error));
        QVERIFY2(error.contains(QLatin1String("PipeScope itself")), qPrintable(error));
        QVERIFY(!c.attach(0, 0, &error));
        QCOMPARE(error, QStringLiteral("'0' is not a process id"));
        QCOMPARE(c.phase(), EventSource::Phase::Idle);
        QVERIFY(test::noChildrenLeft());
    }
};

QTEST_MAIN(TstTraceController)
#include "tst_tracecontroller.moc"
