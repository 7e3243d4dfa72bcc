// TraceController: a user's program traced by pipescope-cli in a child, its
// JSON lines read back into the same events and drawn by the same scene.
#include "core/run/procprobe.h"
#include "runharness.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/source/tracecontroller.h"
#include "uiwait.h"

#include <QSignalSpy>
#include <QtTest>

#include <set>

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
        QVERIFY(!c.canStep(&error));
        QVERIFY(error.contains(QLatin1String("--step")));
        QVERIFY(test::noChildrenLeft());
    }
};

QTEST_MAIN(TstTraceController)
#include "tst_tracecontroller.moc"
