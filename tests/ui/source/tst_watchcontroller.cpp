// WatchController: a real pipeline watched from /proc on the GUI thread becomes
// the same nodes and pipes as any run, with the bytes that went through each
// pipe; Stop kills and reaps a command's tree, and leaves a --pid running.
#include "core/run/procprobe.h"
#include "runharness.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/source/watchcontroller.h"
#include "uiwait.h"

#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <map>
#include <set>

using namespace pipescope;

namespace
{

const ProcessInfo *named(const RunState &state, const std::string &role)
{
    const auto &all = state.processes();
    const auto it = std::find_if(all.begin(), all.end(), [&](const ProcessInfo &p) { return p.role == role; });
    return it == all.end() ? nullptr : &*it;
}

const WatchedPipe *between(const std::vector<WatchedPipe> &pipes, const std::string &from, const std::string &to)
{
    const auto it
        = std::find_if(pipes.begin(), pipes.end(), [&](const WatchedPipe &p) { return p.from == from && p.to == to; });
    return it == pipes.end() ? nullptr : &*it;
}

// The scene fed as the window feeds it.
void feed(WatchController *c, PipeScene *scene)
{
    QObject::connect(c, &EventSource::runStarted, scene, &PipeScene::clearRun);
    QObject::connect(c, &EventSource::eventsArrived, scene,
        [c, scene](const QVector<Event> &events) { scene->applyEvents(events, c->state()); });
    QObject::connect(c, &EventSource::countersSampled, scene, [c, scene] { scene->applyCounters(c->state()); });
}

} // namespace

class TstWatchController : public QObject
{
    Q_OBJECT

private slots:
    void threeStagesTwoPipesAndTheirBytes()
    {
        constexpr std::int64_t total = 50 << 20;
        constexpr std::int64_t loader = 16 * 1024; // what a stage's loader reads besides the pipe
        const int fdsBefore = ProcProbe::countOpenFds();
        {
            WatchController c;
            PipeScene scene;
            feed(&c, &scene);
            c.setIntervalMs(5); // 50 MB take a few tens of ms: look often enough to see every stage
            QSignalSpy finished(&c, &EventSource::runFinished);
            QString error;
            QVERIFY2(c.startCommand({QStringLiteral("sh"), QStringLiteral("-c"),
                                        QStringLiteral("head -c 50M /dev/zero | cat | wc -c >/dev/null")},
                         &error),
                qPrintable(error));
            QCOMPARE(c.phase(), EventSource::Phase::Running);
            QVERIFY(finished.count() == 1 || finished.wait(30000));
            QCOMPARE(finished.at(0).at(0).toInt(), int {OutcomeOk});
            QCOMPARE(c.phase(), EventSource::Phase::Finished);
            QVERIFY(WIFEXITED(c.commandStatus()) && WEXITSTATUS(c.commandStatus()) == 0);

            const RunState &state = c.state();
            for (const char *name : {"head", "cat", "wc"}) {
                const ProcessInfo *p = named(state, name);
                QVERIFY2(p, name);
                QVERIFY2(scene.processItem(p->pid), name); // a node on the stage
                // Exited, and told so: reaped by sh, its parent.
                QVERIFY2(p->state == ProcessState::Reaped, name);
            }
            const std::vector<WatchedPipe> pipes = c.pipes();
            const WatchedPipe *in = between(pipes, "head", "cat");
            const WatchedPipe *out = between(pipes, "cat", "wc");
            QVERIFY(in && out);
            for (const WatchedPipe *w : {in, out}) {
                const PipeInfo *p = state.pipe(w->inode);
                QVERIFY(p);
                QVERIFY(scene.pipeItem(w->inode));
                QCOMPARE(p->capacity, 65536);
                QCOMPARE(p->inBuffer(), 0); // all of it read by the end
                QCOMPARE(p->read, static_cast<std::int64_t>(w->bytes));
                // The watcher's count: the smaller of what went in and what came out, which
                // the kernel's exit accounting rounds down to KiB.
                QVERIFY2(p->read <= total + loader, qPrintable(QString::number(p->read)));
                if (w->bytesFinal)
                    QVERIFY2(p->read + static_cast<std::int64_t>(w->bytesSlack) >= total,
                        qPrintable(QString::number(p->read)));
            }
        }
        QVERIFY2(test::noChildrenLeft(), "a process of the pipeline was left behind");
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }

    /// The window marks the slow stage's node "bottleneck" and says why. dd reading a byte per
    /// read(2) is hundreds of times slower than head on any machine; gzip -1 (the README's
    /// example) can nearly keep up with a CPU-starved head on busy cores.
    void namesTheSlowStageTheBottleneckOnItsNode()
    {
        WatchController c;
        PipeScene scene;
        feed(&c, &scene);
        c.setIntervalMs(20);
        std::map<int, QString> notes; // the last note each pid got
        std::set<int> markedEver;
        connect(&c, &EventSource::processNoted, this, [&](int pid, const QString &text) {
            notes[pid] = text;
            if (text == QStringLiteral("bottleneck"))
                markedEver.insert(pid);
        });
        QStringList statuses;
        connect(&c, &EventSource::statusChanged, this, [&](const QString &text) { statuses << text; });
        QSignalSpy finished(&c, &EventSource::runFinished);
        QString error;
        QVERIFY2(c.startCommand(
                     {QStringLiteral("sh"), QStringLiteral("-c"),
                         QStringLiteral("head -c 1M /dev/zero | dd ibs=1 obs=64k status=none | wc -c >/dev/null")},
                     &error),
            qPrintable(error));
        QVERIFY(finished.wait(60000));
        const ProcessInfo *dd = named(c.state(), "dd");
        QVERIFY(dd);
        QVERIFY2(markedEver.count(dd->pid) == 1, "dd's node was never marked the bottleneck");
        // (head may be named for a moment while it starts up, or on a machine busy elsewhere.)
        QVERIFY2(std::any_of(statuses.cbegin(), statuses.cend(),
                     [](const QString &t) { return t.contains(QStringLiteral("bottleneck: dd (running ")); }),
            qPrintable(statuses.join(QLatin1Char('\n'))));
        QVERIFY2(test::noChildrenLeft(), "a process of the pipeline was left behind");
    }

    void stopKillsAndReapsTheCommandsTree()
    {
        WatchController c;
        QSignalSpy finished(&c, &EventSource::runFinished);
        QSignalSpy batches(&c, &EventSource::eventsArrived);
        QString error;
        QVERIFY2(c.startCommand({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("sleep 60 | cat")}, &error),
            qPrintable(error));
        QVERIFY(test::waitUntil([&] { return named(c.state(), "sleep") && named(c.state(), "cat"); }, &c,
            &EventSource::countersSampled, 10000));
        const int sleeper = named(c.state(), "sleep")->pid;
        QVERIFY(finished.isEmpty());
        c.stop();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), int {OutcomeCancelled});
        QVERIFY(test::processGone(sleeper));
        QVERIFY2(test::noChildrenLeft(), "Stop left a process behind");
        QCOMPARE(named(c.state(), "sleep")->state, ProcessState::Reaped);
        // Killed by us, or its status not learnt (-1, shown as unknown): a grandchild reaped by us as
        // the subreaper sometimes reaches the state without its status (known bug, see the README).
        const int status = named(c.state(), "sleep")->status;
        QVERIFY2((status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) || status == -1,
            qPrintable(QString::number(status)));
    }

    void stopOnAPidOnlyStopsWatching()
    {
        QProcess pipeline;
        pipeline.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("sleep 60 | cat")});
        QVERIFY(pipeline.waitForStarted());
        WatchController c;
        QSignalSpy finished(&c, &EventSource::runFinished);
        QString error;
        QVERIFY2(c.watchPid(pipeline.processId(), &error), qPrintable(error));
        QVERIFY(test::waitUntil([&] { return named(c.state(), "sleep") && named(c.state(), "cat"); }, &c,
            &EventSource::countersSampled, 10000));
        const int sleeper = named(c.state(), "sleep")->pid;
        c.stop();
        QCOMPARE(finished.count(), 1);
        // Still running, exactly as before.
        QCOMPARE(kill(sleeper, 0), 0);
        QCOMPARE(pipeline.state(), QProcess::Running);
        kill(sleeper, SIGKILL);
        QVERIFY(pipeline.waitForFinished(10000));
    }

    void refusesWhatCannotBeWatched()
    {
        WatchController c;
        QString error;
        QVERIFY(!c.watchPid(1, &error));
        QVERIFY2(!error.isEmpty() && !error.contains(QLatin1Char('\n')), qPrintable(error));
        QVERIFY(!c.watchPid(0x3fffff0, &error));
        QVERIFY2(error.contains(QLatin1String("no process")), qPrintable(error));
        QVERIFY(!c.startCommand({QStringLiteral("no-such-program-xyz")}, &error));
        QCOMPARE(error, QStringLiteral("cannot run 'no-such-program-xyz': No such file or directory"));
        QCOMPARE(c.phase(), EventSource::Phase::Idle);
        QVERIFY(test::noChildrenLeft());
    }

    void neverStoppedSoNoStepNoPaceNoPause()
    {
        WatchController c;
        QString why;
        QVERIFY(!c.canStep(&why));
        QVERIFY(why.contains(QLatin1String("never stopped")));
        QVERIFY(!c.canPace(&why));
        QVERIFY(!c.canPause(&why));
    }
};

QTEST_MAIN(TstWatchController)
#include "tst_watchcontroller.moc"
