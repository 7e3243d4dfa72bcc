// Side by side: a pitfall and its correct version run at the same time, as two
// real process trees with their own runners, in the real main window. The
// correct one ends by itself and its reader sees EOF; the pitfall hangs until
// its watchdog; every control reaches both; nothing is left behind.
// Set PIPESCOPE_SHOT_DIR to keep a PNG of the window.
#include "runharness.h"
#include "ui/lessons/nodefdtables.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/sceneview.h"
#include "ui/source/runcontroller.h"
#include "ui/window/comparepane.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "uiwait.h"
#include "warmup.h"

#include <QAction>
#include <QtTest>

#include <signal.h>

using namespace pipescope;

namespace
{

/// Every event one controller delivers, in order.
struct Recorder {
    QVector<Event> events;
    void attach(RunController *c)
    {
        QObject::connect(c, &RunController::eventsArrived, c, [this](const QVector<Event> &batch) { events += batch; });
    }
    /// Syscalls made (not notes, gates or probes).
    int syscalls() const
    {
        return static_cast<int>(
            std::count_if(events.begin(), events.end(), [](const Event &e) { return isSyscallKind(e.kind); }));
    }
    /// A read of the pipe that returned 0: the reader saw EOF.
    bool sawEof() const
    {
        return std::any_of(events.begin(), events.end(),
            [](const Event &e) { return e.kind == EventKind::Read && e.err == 0 && e.result == 0 && e.inode != 0; });
    }
};

bool heldProcess(const RunController *c)
{
    const auto &all = c->state().processes();
    return std::any_of(all.begin(), all.end(), [](const ProcessInfo &p) { return p.state == ProcessState::Held; });
}

bool alive(qint64 pid)
{
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }

    void twinFlipsOnlyFixed()
    {
        const QStringList names {QStringLiteral("message"), QStringLiteral("fixed"), QStringLiteral("watchdog-ms")};
        QCOMPARE(
            ComparePane::twinAssignments({QStringLiteral("fixed=false"), QStringLiteral("watchdog-ms=900")}, names),
            (QStringList {QStringLiteral("watchdog-ms=900"), QStringLiteral("fixed=true")}));
        QCOMPARE(ComparePane::twinAssignments({QStringLiteral("fixed=true")}, names),
            (QStringList {QStringLiteral("fixed=false")}));
        // Not given: the pitfall's default (false), so the twin is the correct version.
        QCOMPARE(ComparePane::twinAssignments({}, names), (QStringList {QStringLiteral("fixed=true")}));
        QVERIFY(ComparePane::twinAssignments({QStringLiteral("bytes=10")}, {QStringLiteral("bytes")}).isEmpty());
    }

    void pitfallAndFixRunAtTheSameTime()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.resize(1920, 1080);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window)); // shortcuts reach the active window only
            QVERIFY(window.openScenario(QStringLiteral("no-close-eof"), {QStringLiteral("watchdog-ms=3000")}));
            QTest::keyClick(&window, Qt::Key_S);
            ComparePane *compare = window.compare();
            QVERIFY(compare->isActive());
            // Before the run the second pane says what it will show and which key runs it.
            QVERIFY2(
                compare->twinHint().contains(QStringLiteral("Space (Run) runs both")), qPrintable(compare->twinHint()));
            QCOMPARE(compare->primaryTitle(), QStringLiteral("The pitfall as written (fixed=false)"));
            QCOMPARE(compare->twinTitle(), QStringLiteral("The correct version (fixed=true)"));
            RunController *pitfall = window.controller();
            RunController *correct = compare->twin();
            Recorder left, right;
            left.attach(pitfall);
            right.attach(correct);
            QSignalSpy leftDone(pitfall, &RunController::runFinished);
            QSignalSpy rightDone(correct, &RunController::runFinished);

            QVERIFY(window.startRun());
            // Two runners, two trees, both alive at once.
            QVERIFY(pitfall->runnerPid() != correct->runnerPid());
            QVERIFY(alive(pitfall->runnerPid()));
            QVERIFY(alive(correct->runnerPid()));
            QVERIFY(compare->twinView()->isVisible());
            QVERIFY(rightDone.wait(10000));
            QCOMPARE(rightDone.first().first().toInt(), static_cast<int>(OutcomeOk));
            // The correct version finished while the pitfall still hangs: they really ran side by side.
            QCOMPARE(pitfall->phase(), RunController::Phase::Running);
            QVERIFY(right.sawEof());
            QVERIFY(compare->twinScene()->processItemCount() >= 2);
            QVERIFY(compare->twinStatus().contains(QStringLiteral("finished by itself")));
            // Shift+D puts fd cards beside the nodes of both scenes.
            QTest::keyClick(&window, Qt::Key_D, Qt::ShiftModifier);
            QVERIFY(window.fdTables()->isShown());
            QVERIFY(compare->twinFdTables()->isShown());
            QVERIFY(compare->twinScene()->fdCardsShown());
            for (const ProcessInfo &p : correct->state().processes())
                QVERIFY(compare->twinScene()->fdCard(p.pid));
            if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty())
                window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/compare-no-close-eof.png"));

            QVERIFY(leftDone.wait(10000));
            QCOMPARE(leftDone.first().first().toInt(), static_cast<int>(OutcomeWatchdog));
            QVERIFY(!left.sawEof());
            QVERIFY(compare->primaryStatus().contains(QStringLiteral("watchdog")));
            for (const ProcessInfo &p : correct->state().processes())
                QCOMPARE(p.state, ProcessState::Reaped);
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void everyControlReachesBoth()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(window.openScenario(QStringLiteral("epipe")));
            window.findChild<QAction *>(QStringLiteral("compare"))->setChecked(true);
            QVERIFY(window.startRun(/*held=*/true));
            RunController *a = window.controller();
            RunController *b = window.compare()->twin();
            QCOMPARE(a->phase(), RunController::Phase::Paused);
            QCOMPARE(b->phase(), RunController::Phase::Paused);
            // Both runs have a process held at its gate before the step.
            for (RunController *c : {a, b})
                QVERIFY(test::waitUntil([c] { return heldProcess(c); }, c, &RunController::eventsArrived, 5000));
            Recorder left, right;
            left.attach(a);
            right.attach(b);
            // One Step (the N key) lets one process of each run make one syscall.
            QTest::keyClick(&window, Qt::Key_N);
            QCOMPARE(a->stepsTaken(), 1);
            QCOMPARE(b->stepsTaken(), 1);
            QVERIFY(test::waitUntil([&] { return left.syscalls() > 0; }, a, &RunController::eventsArrived, 5000));
            QVERIFY(test::waitUntil([&] { return right.syscalls() > 0; }, b, &RunController::eventsArrived, 5000));
            const qint64 runnerA = a->runnerPid(), runnerB = b->runnerPid();
            // Stop (Escape) kills and reaps both trees.
            QTest::keyClick(&window, Qt::Key_Escape);
            QCOMPARE(a->phase(), RunController::Phase::Finished);
            QCOMPARE(b->phase(), RunController::Phase::Finished);
            QVERIFY(test::processGone(static_cast<int>(runnerA)));
            QVERIFY(test::processGone(static_cast<int>(runnerB)));
            for (const ProcessInfo &p : b->state().processes())
                QVERIFY(test::processGone(p.pid));
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void leavingCompareKillsTheTwin()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.show();
            QVERIFY(window.openScenario(QStringLiteral("deadlock"), {QStringLiteral("fixed=true")}));
            window.compare()->setActive(true);
            // Here the left is the correct version and the twin is the pitfall, which hangs.
            QCOMPARE(window.compare()->twinTitle(), QStringLiteral("The pitfall as written (fixed=false)"));
            QVERIFY(window.startRun());
            RunController *twin = window.compare()->twin();
            QVERIFY(test::waitUntil(
                [&] {
                    for (const ProcessInfo &p : twin->state().processes())
                        if (p.state == ProcessState::Blocked)
                            return true;
                    return false;
                },
                twin, &RunController::eventsArrived, 10000));
            std::vector<int> pids {static_cast<int>(twin->runnerPid())};
            for (const ProcessInfo &p : twin->state().processes())
                pids.push_back(p.pid);
            window.compare()->setActive(false);
            QCOMPARE(twin->phase(), RunController::Phase::Idle);
            for (int pid : pids)
                QVERIFY2(test::processGone(pid), qPrintable(QString::number(pid)));
            window.controller()->reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void controlsFollowTheTwinWhenTheFirstRunEnds()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            // The correct version on the left ends in milliseconds; the pitfall beside it hangs.
            QVERIFY(window.openScenario(
                QStringLiteral("deadlock"), {QStringLiteral("fixed=true"), QStringLiteral("watchdog-ms=20000")}));
            window.compare()->setActive(true);
            window.controls()->setPace(0);
            QSignalSpy leftDone(window.controller(), &RunController::runFinished);
            QVERIFY(window.startRun());
            RunController *twin = window.compare()->twin();
            QVERIFY(leftDone.wait(10000));
            QCOMPARE(leftDone.first().first().toInt(), static_cast<int>(OutcomeOk));
            QCOMPARE(twin->phase(), RunController::Phase::Running);
            QCOMPARE(window.controls()->phase(), RunController::Phase::Running);
            const qint64 runner = twin->runnerPid();
            // The status line names both runs: one ended, one still runs (so the bar offers Pause).
            QVERIFY2(window.controls()->status().contains(QStringLiteral("correct version: finished by itself"))
                    && window.controls()->status().contains(QStringLiteral("pitfall: running")),
                qPrintable(window.controls()->status()));
            // Space pauses the twin (it does not start a new run), N steps it, Esc stops it.
            QTest::keyClick(&window, Qt::Key_Space);
            QCOMPARE(twin->phase(), RunController::Phase::Paused);
            QCOMPARE(window.controls()->phase(), RunController::Phase::Paused);
            QCOMPARE(twin->runnerPid(), runner);
            QTest::keyClick(&window, Qt::Key_N);
            QCOMPARE(twin->stepsTaken(), 1);
            QCOMPARE(twin->runnerPid(), runner);
            QTest::keyClick(&window, Qt::Key_Escape);
            QCOMPARE(twin->phase(), RunController::Phase::Finished);
            QCOMPARE(window.controls()->phase(), RunController::Phase::Finished);
            QVERIFY(test::processGone(static_cast<int>(runner)));
            for (const ProcessInfo &p : twin->state().processes())
                QVERIFY(test::processGone(p.pid));
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void flipRestartsBothRuns()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(window.openScenario(QStringLiteral("deadlock"), {QStringLiteral("watchdog-ms=20000")}));
            window.compare()->setActive(true);
            window.controls()->setPace(0);
            QVERIFY(window.startRun());
            RunController *pitfall = window.controller();
            RunController *twin = window.compare()->twin();
            QVERIFY(test::waitUntil(
                [&] {
                    for (const ProcessInfo &p : pitfall->state().processes())
                        if (p.state == ProcessState::Blocked)
                            return true;
                    return false;
                },
                pitfall, &RunController::eventsArrived, 10000));
            const qint64 oldLeft = pitfall->runnerPid(), oldRight = twin->runnerPid();
            // F while the pitfall hangs: never the old run under the new label. Both restart, swapped.
            QTest::keyClick(&window, Qt::Key_F);
            QCOMPARE(window.compare()->primaryTitle(), QStringLiteral("The correct version (fixed=true)"));
            QCOMPARE(window.compare()->twinTitle(), QStringLiteral("The pitfall as written (fixed=false)"));
            QCOMPARE(pitfall->phase(), RunController::Phase::Running);
            QCOMPARE(twin->phase(), RunController::Phase::Running);
            QVERIFY(pitfall->runnerPid() != oldLeft && twin->runnerPid() != oldRight);
            QVERIFY(test::processGone(static_cast<int>(oldLeft)));
            if (oldRight > 0)
                QVERIFY(test::processGone(static_cast<int>(oldRight)));
            window.controller()->reset();
            window.compare()->reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void sideBySideAfterARunSaysWhatWaits()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.resize(1024, 768);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(window.openScenario(QStringLiteral("deadlock"), {QStringLiteral("fixed=true")}));
            window.controls()->setPace(0);
            QSignalSpy done(window.controller(), &RunController::runFinished);
            QVERIFY(window.startRun());
            QVERIFY(done.wait(10000));
            ComparePane *compare = window.compare();
            // S after the run: the second pane is no blank scene; it says what it is and which key runs it.
            QTest::keyClick(&window, Qt::Key_S);
            QVERIFY(compare->isActive());
            QVERIFY2(compare->twinHint().contains(QStringLiteral("The pitfall has not run yet"))
                    && compare->twinHint().contains(QStringLiteral("Space (Run) runs both")),
                qPrintable(compare->twinHint()));
            QVERIFY(!compare->twinView()->isVisible());
            const QString status = window.controls()->status();
            QVERIFY2(status.contains(QStringLiteral("correct version: finished"))
                    && status.contains(QStringLiteral("pitfall: not run yet: Space (Run) runs both")),
                qPrintable(status));
            if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty())
                window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/compare-waiting.png"));
            // Space, as it says: both run, and the hint gives way to the twin's scene.
            QTest::keyClick(&window, Qt::Key_Space);
            QVERIFY(compare->twin()->phase() != RunController::Phase::Idle);
            QVERIFY(compare->twinHint().isEmpty());
            QVERIFY(compare->twinView()->isVisible());
            // S during a run: R is the key (Space would pause the live run).
            QTest::keyClick(&window, Qt::Key_S);
            QVERIFY(!compare->isActive());
            QTest::keyClick(&window, Qt::Key_S);
            QVERIFY2(compare->twinHint().contains(QStringLiteral("R (restart) runs both"))
                    || window.controller()->phase() == RunController::Phase::Finished,
                qPrintable(compare->twinHint()));
            window.controller()->reset();
            compare->reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void flipSaysWhichVersionThroughout()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(window.openScenario(QStringLiteral("deadlock"), {QStringLiteral("watchdog-ms=20000")}));
            window.controls()->setPace(0);
            ComparePane *compare = window.compare();
            QCOMPARE(compare->stageTitle(), QStringLiteral("The pitfall as written (fixed=false)"));
            QVERIFY(window.startRun(true)); // held at the first gate, as Right on an idle stage
            QCOMPARE(window.controller()->phase(), RunController::Phase::Paused);
            QVERIFY2(window.controls()->status().startsWith(QStringLiteral("pitfall: paused")),
                qPrintable(window.controls()->status()));
            // F while paused: the correct version, still paused, and the hint says which key steps.
            QTest::keyClick(&window, Qt::Key_F);
            QCOMPARE(window.controller()->phase(), RunController::Phase::Paused);
            QVERIFY2(window.controls()->status().startsWith(QStringLiteral("correct version: paused"))
                    && window.controls()->status().contains(QStringLiteral("Right steps one call")),
                qPrintable(window.controls()->status()));
            QCOMPARE(compare->stageTitle(), QStringLiteral("The correct version (fixed=true)"));
            // It runs on and ends: the end still says which version ended.
            QSignalSpy done(window.controller(), &RunController::runFinished);
            QTest::keyClick(&window, Qt::Key_Space);
            QVERIFY(done.wait(10000));
            QCOMPARE(done.first().first().toInt(), static_cast<int>(OutcomeOk));
            QVERIFY2(window.controls()->status().startsWith(QStringLiteral("correct version: finished")),
                qPrintable(window.controls()->status()));
            QCOMPARE(compare->stageTitle(), QStringLiteral("The correct version (fixed=true)"));
            // F on the finished run: the pitfall, running, named as such.
            QTest::keyClick(&window, Qt::Key_F);
            QCOMPARE(window.controller()->phase(), RunController::Phase::Running);
            QVERIFY2(window.controls()->status().startsWith(QStringLiteral("pitfall: running")),
                qPrintable(window.controls()->status()));
            QCOMPARE(compare->stageTitle(), QStringLiteral("The pitfall as written (fixed=false)"));
            window.controller()->reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void lessonsWithoutFixedRunAlone()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.show();
            QVERIFY(window.openScenario(QStringLiteral("simple")));
            window.compare()->setActive(true);
            QVERIFY(window.compare()->twinTitle().startsWith(QStringLiteral("Nothing to compare")));
            QVERIFY(!window.compare()->twinView()->isVisible());
            QSignalSpy done(window.controller(), &RunController::runFinished);
            QVERIFY(window.startRun());
            QCOMPARE(window.compare()->twin()->phase(), RunController::Phase::Idle);
            QVERIFY(window.compare()->twinHint().isEmpty()); // no key runs a twin that does not exist
            QVERIFY(done.wait(10000));
            window.controller()->reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }
};

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"
