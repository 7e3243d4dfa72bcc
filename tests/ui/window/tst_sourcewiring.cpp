// The window draws a watched pipeline and a traced program through the same
// scene, log and counters as a scenario; the controls say what each cannot do,
// and starting one source stops and forgets the other.
#include "runharness.h"
#include "ui/lessons/eventlogmodel.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/source/eventsource.h"
#include "ui/source/runcontroller.h"
#include "ui/source/tracecontroller.h"
#include "ui/source/watchcontroller.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "uiwait.h"
#include "warmup.h"

#include <QAction>
#include <QDockWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

using namespace pipescope;

namespace
{

bool nodeNamed(MainWindow &w, const QString &role)
{
    for (const ProcessInfo &p : w.source()->state().processes())
        if (QString::fromStdString(p.role) == role && w.scene()->processItem(p.pid))
            return true;
    return false;
}

} // namespace

class TstSourceWiring : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }

    void watchThenTraceThenScenario()
    {
        MainWindow window(nullptr);
        window.show();
        QSignalSpy finished(window.source(), &EventSource::runFinished);

        // A watched pipeline: its stages on the stage, Step and slow motion greyed out with the reason.
        QString error;
        QVERIFY2(
            window.startWatch({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("sleep 30 | cat")}, &error),
            qPrintable(error));
        QVERIFY(test::waitUntil(
            [&] { return nodeNamed(window, QStringLiteral("sleep")) && nodeNamed(window, QStringLiteral("cat")); },
            window.source(), &EventSource::countersSampled, 10000));
        QPushButton *step = window.controls()->button(QStringLiteral("step"));
        QVERIFY(!step->isEnabled());
        QVERIFY2(step->toolTip().contains(QLatin1String("never stopped")), qPrintable(step->toolTip()));
        QVERIFY(!window.controls()->button(QStringLiteral("fullspeed"))->isEnabled());
        QVERIFY(window.controls()->button(QStringLiteral("stop"))->isEnabled());
        QVERIFY(window.log()->rowCount() > 0);
        // The scenario dock does not pretend its scenario is what is on stage.
        auto *scenarioDock = window.findChild<QDockWidget *>(QStringLiteral("scenario"));
        QVERIFY(scenarioDock);
        QCOMPARE(scenarioDock->windowTitle(), QStringLiteral("Scenario (not on stage)"));
        // The keyboard's Step is answered with the reason, not ignored.
        window.findChild<QAction *>(QStringLiteral("stepAction"))->trigger();
        QVERIFY2(window.controls()->status().contains(QLatin1String("never stopped")),
            qPrintable(window.controls()->status()));
        // Stop kills and reaps the command's tree; its processes stay, reaped, with their status.
        window.controls()->button(QStringLiteral("stop"))->click();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(window.watch()->phase(), EventSource::Phase::Finished);
        QVERIFY(test::noChildrenLeft());
        QVERIFY(nodeNamed(window, QStringLiteral("sleep")));

        // A traced program replaces it: the watch is forgotten, the scene starts again.
        QVERIFY2(
            window.startTrace({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hi | cat")}, &error),
            qPrintable(error));
        QCOMPARE(window.watch()->phase(), EventSource::Phase::Idle);
        QVERIFY(finished.count() == 2 || finished.wait(30000));
        QCOMPARE(window.scene()->pipeItemCount(), 1);
        QVERIFY(window.scene()->processItemCount() >= 3);
        // A traced program can be stepped and paused: nothing is greyed out.
        QVERIFY(window.trace()->canStep() && window.trace()->canPause());
        QVERIFY2(!step->toolTip().contains(QLatin1String("--step")), qPrintable(step->toolTip()));
        QVERIFY(window.controls()->button(QStringLiteral("fullspeed"))->isEnabled());
        QVERIFY2(window.controls()->status().startsWith(QLatin1String("finished: ok")),
            qPrintable(window.controls()->status()));

        // The scenario again: every control is back, the trace is forgotten.
        QVERIFY(window.openScenario(QStringLiteral("simple")));
        QVERIFY(window.startRun(false));
        QCOMPARE(window.trace()->phase(), EventSource::Phase::Idle);
        QCOMPARE(scenarioDock->windowTitle(), QStringLiteral("Scenario"));
        QVERIFY(step->isEnabled());
        QVERIFY(finished.count() == 3 || finished.wait(30000));
        // simple: one process, one pipe, drawn from the runner's events again.
        QCOMPARE(window.scene()->processItemCount(), 1);
        QCOMPARE(window.scene()->pipeItemCount(), 1);
        window.close();
        QVERIFY(test::noChildrenLeft());
    }
};

QTEST_MAIN(TstSourceWiring)
#include "tst_sourcewiring.moc"
