// RunController on the GUI thread: a Step that releases nobody is answered,
// with the runner's reason, and never kept to be spent later in a burst.
#include "core/run/procprobe.h"
#include "runharness.h"
#include "ui/source/runcontroller.h"
#include "uiwait.h"

#include <QSignalSpy>
#include <QtTest>

using namespace pipescope;

class TstRunController : public QObject
{
    Q_OBJECT

private slots:
    /// Pause and Resume say what the run is doing now: a paused run never reads "running".
    void pauseAndResumeSaySo()
    {
        RunController controller;
        QSignalSpy statuses(&controller, &RunController::statusChanged);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QString error;
        QVERIFY2(
            controller.start(QStringLiteral("no-close-eof"), {QStringLiteral("watchdog-ms=3000")}, 200, false, &error),
            qPrintable(error));
        controller.pause();
        QCOMPARE(controller.phase(), EventSource::Phase::Paused);
        QVERIFY(!statuses.isEmpty());
        // The key hint first (a narrow status line keeps it), the scenario after it.
        QVERIFY2(statuses.last().at(0).toString()
                == QLatin1String("paused: Right steps one call, Space resumes (no-close-eof)"),
            qPrintable(statuses.last().at(0).toString()));
        controller.resume();
        QCOMPARE(statuses.last().at(0).toString(), QStringLiteral("running no-close-eof"));
        controller.stop();
        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QVERIFY2(test::noChildrenLeft(), "a process of the run was left behind");
    }

    void stepWhileAllAsleepIsAnswered()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        {
            RunController controller;
            QSignalSpy refused(&controller, &RunController::stepRefused);
            QSignalSpy finished(&controller, &RunController::runFinished);
            QSignalSpy batches(&controller, &RunController::eventsArrived);
            // no-close-eof hangs for real: the child waits for an EOF that its parent's
            // forgotten write end keeps away, and the parent waits for the child.
            QString error;
            QVERIFY2(
                controller.start(QStringLiteral("no-close-eof"), {QStringLiteral("watchdog-ms=3000")}, 0, true, &error),
                qPrintable(error));
            // Step until a Step is answered by "asleep in the kernel": each Step either
            // lets one held process make a syscall (events follow) or is answered.
            QString lastWhy;
            for (int i = 0; i < 200 && !lastWhy.contains(QLatin1String("Step cannot wake them")); ++i) {
                const int answered = refused.count();
                const int seen = batches.count();
                controller.step();
                // The step's syscall brings a batch of events; a refused step, an answer.
                test::waitUntil([&] { return refused.count() > answered || batches.count() > seen; }, &controller,
                    &RunController::eventsArrived, 2000);
                if (refused.count() > answered)
                    lastWhy = refused.last().at(0).toString();
                QVERIFY2(finished.isEmpty(), "the run ended before it hung");
            }
            QCOMPARE(lastWhy, QStringLiteral("every process is asleep in the kernel; Step cannot wake them"));
            QVERIFY2(controller.stepsTaken() >= 5, "the hang was reached by real steps");
            // Three more Steps while everyone sleeps: three answers, none kept.
            const int before = refused.count();
            for (int i = 0; i < 3; ++i)
                controller.step();
            QVERIFY(test::waitUntil(
                [&] { return refused.count() >= before + 3; }, &controller, &RunController::stepRefused, 5000));
            QVERIFY(finished.isEmpty()); // paused: the watchdog waits for the lecturer
            controller.stop();
            QVERIFY(finished.count() == 1 || finished.wait(5000));
        }
        QVERIFY2(test::noChildrenLeft(), "a process of the run was left behind");
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }
};

QTEST_GUILESS_MAIN(TstRunController)
#include "tst_runcontroller.moc"
