// A whole lecture with the keyboard alone, in the real main window: pick
// scenarios, set the pace, run, pause on a hang, step, show the fd cards and
// panels, zoom and pan, flip to the correct version, side by side, presenter
// mode on and off. Every key is followed by a check of what it did; waits are
// on the runs' own signals, never on time.
#include "runharness.h"
#include "ui/lessons/helpoverlay.h"
#include "ui/lessons/nodefdtables.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/sceneview.h"
#include "ui/source/runcontroller.h"
#include "ui/window/comparepane.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "ui/window/parametereditor.h"
#include "ui/window/presentermode.h"
#include "ui/window/scenariopicker.h"
#include "uiwait.h"
#include "warmup.h"

#include <QAction>
#include <QDockWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollBar>
#include <QtTest>

using namespace pipescope;

namespace
{

bool anyBlocked(const RunController *c)
{
    const auto &all = c->state().processes();
    return std::any_of(all.begin(), all.end(), [](const ProcessInfo &p) { return p.state == ProcessState::Blocked; });
}

QString fixedValue(const MainWindow &w)
{
    return w.parameters()->values().value(QStringLiteral("fixed"));
}

/// The key sequences a help overlay entry names ("Right or N", "Up / Down", "Ctrl+arrows").
QList<QKeySequence> sequencesOf(const QString &keys)
{
    QList<QKeySequence> out;
    QString text = keys;
    text.replace(QStringLiteral(" or "), QStringLiteral(" / "));
    for (const QString &token : text.split(QStringLiteral(" / "), Qt::SkipEmptyParts)) {
        if (token.endsWith(QLatin1String("+arrows"))) {
            const QString modifier = token.chopped(6);
            for (const char *arrow : {"Left", "Right", "Up", "Down"})
                out << QKeySequence::fromString(modifier + QLatin1String(arrow), QKeySequence::PortableText);
            continue;
        }
        out << QKeySequence::fromString(token.trimmed(), QKeySequence::PortableText);
    }
    return out;
}

} // namespace

class TestLecture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }

    /// Every key of the window is on the help sheet, and no key means two things
    /// (Qt ignores an ambiguous shortcut: the lecturer would press it for nothing).
    void helpListsEveryKey()
    {
        MainWindow window(nullptr);
        QList<QKeySequence> listed;
        for (const HelpOverlay::Shortcut &s : window.help()->shortcuts())
            listed << sequencesOf(s.keys);
        QHash<QKeySequence, QString> owner;
        for (const QAction *a : window.findChildren<QAction *>()) {
            if (a->shortcuts().isEmpty())
                continue;
            bool onSheet = false;
            for (const QKeySequence &k : a->shortcuts()) {
                onSheet |= listed.contains(k);
                QVERIFY2(!owner.contains(k) || owner.value(k) == a->text(),
                    qPrintable(
                        QStringLiteral("%1 is both '%2' and '%3'").arg(k.toString(), owner.value(k), a->text())));
                owner.insert(k, a->text());
            }
            QVERIFY2(onSheet,
                qPrintable(QStringLiteral("'%1' (%2) is not on the help sheet")
                               .arg(a->text(), a->shortcuts().constFirst().toString())));
        }
        // The ones a lecture needs, by name.
        for (const char *key : {"0", "Up", "Down", "G", "R", "O", "Ctrl+Right", "Ctrl+Left", "PgDown"})
            QVERIFY2(listed.contains(QKeySequence::fromString(QLatin1String(key))), key);
    }

    void lecture()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.resize(1280, 720);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window)); // shortcuts reach the active window only
            RunController *run = window.controller();
            ControlBar *bar = window.controls();
            auto key
                = [&window](Qt::Key k, Qt::KeyboardModifiers m = Qt::NoModifier) { QTest::keyClick(&window, k, m); };

            // F1 shows the keys, Esc puts them away (and stops nothing).
            QSignalSpy stops(window.controls(), &ControlBar::stopRequested);
            key(Qt::Key_F1);
            QVERIFY(window.help()->isVisible());
            QTest::keyClick(window.help(), Qt::Key_Escape);
            QVERIFY(!window.help()->isVisible());
            QCOMPARE(stops.count(), 0);

            // PgDn, PgUp: through the curriculum, the description in the status line.
            QVERIFY(window.openScenario(QStringLiteral("simple")));
            key(Qt::Key_PageDown);
            QCOMPARE(window.picker()->current(), QStringLiteral("parent-child"));
            QVERIFY(!bar->status().isEmpty());
            key(Qt::Key_PageUp);
            QCOMPARE(window.picker()->current(), QStringLiteral("simple"));
            key(Qt::Key_PageDown);

            // Down, Up: the slow-motion pace, one rung at a time; G: full speed and back.
            bar->setPace(0);
            key(Qt::Key_Down);
            QCOMPARE(bar->pace(), 50);
            for (int i = 0; i < 4; ++i)
                key(Qt::Key_Down);
            QCOMPARE(bar->pace(), 300);
            key(Qt::Key_Down);
            QCOMPARE(bar->pace(), 400);
            key(Qt::Key_Up);
            QCOMPARE(bar->pace(), 300);
            key(Qt::Key_G);
            QCOMPARE(bar->pace(), 0);
            key(Qt::Key_G);
            QCOMPARE(bar->pace(), 300);

            // Space runs in slow motion, Space pauses, Right steps one syscall, Space resumes.
            QSignalSpy started(run, &RunController::runStarted);
            key(Qt::Key_Space);
            QCOMPARE(started.count(), 1);
            QCOMPARE(run->phase(), RunController::Phase::Running);
            QCOMPARE(run->pace(), 300);
            key(Qt::Key_Space);
            QCOMPARE(run->phase(), RunController::Phase::Paused);
            QCOMPARE(bar->button(QStringLiteral("run"))->text(), QStringLiteral("Resume"));
            QSignalSpy stepped(bar, &ControlBar::stepRequested);
            key(Qt::Key_Right);
            QCOMPARE(stepped.count(), 1);
            // G from a pause: full speed, to the end.
            QSignalSpy finished(run, &RunController::runFinished);
            key(Qt::Key_G);
            QCOMPARE(run->phase(), RunController::Phase::Running);
            QVERIFY(finished.wait(10000));
            QCOMPARE(finished.takeFirst().first().toInt(), static_cast<int>(OutcomeOk));
            QVERIFY(bar->status().contains(QStringLiteral("finished")));
            // R: the same scenario again, from the start.
            const qint64 firstRunner = run->runnerPid();
            key(Qt::Key_R);
            QCOMPARE(started.count(), 2);
            QVERIFY(run->runnerPid() != firstRunner);
            QVERIFY(finished.wait(10000));
            finished.clear();
            // Right on a finished stage: a new run held at its first gate (it once ran on in slow motion).
            key(Qt::Key_Right);
            QCOMPARE(started.count(), 3);
            QCOMPARE(run->phase(), RunController::Phase::Paused);
            QVERIFY2(bar->status().startsWith(QStringLiteral("paused")), qPrintable(bar->status()));
            key(Qt::Key_Escape);
            QCOMPARE(run->phase(), RunController::Phase::Finished);
            finished.clear();

            // To the hang: no-close-eof, six scenarios on.
            for (int i = 0; i < 6; ++i)
                key(Qt::Key_PageDown);
            QCOMPARE(window.picker()->current(), QStringLiteral("no-close-eof"));
            QCOMPARE(run->phase(), RunController::Phase::Idle); // a new scenario clears the stage
            QCOMPARE(fixedValue(window), QStringLiteral("false"));
            // Set before class: the hang waits for the lecturer, not for the 5 s watchdog of a busy test machine.
            QVERIFY(window.parameters()->setValue(QStringLiteral("watchdog-ms"), QStringLiteral("30000")));
            key(Qt::Key_Space);
            QVERIFY(test::waitUntil([run] { return anyBlocked(run); }, run, &RunController::eventsArrived, 10000));
            key(Qt::Key_Space);
            QCOMPARE(run->phase(), RunController::Phase::Paused);
            const qint64 hungRunner = run->runnerPid();

            // Shift+D: the fd cards beside the nodes, both ways.
            key(Qt::Key_D, Qt::ShiftModifier);
            QVERIFY(window.fdTables()->isShown());
            QVERIFY(window.scene()->fdCardsShown());
            // D, C, T: each panel on top, then away again.
            const std::tuple<Qt::Key, const char *, int> panels[]
                = {{Qt::Key_D, "lesson", 1}, {Qt::Key_C, "lesson", 0}, {Qt::Key_T, "timeline", -1}};
            for (const auto &[k, dock, tab] : panels) {
                const QString name = QLatin1String(dock);
                const bool was = window.panelShown(name, tab);
                key(k);
                QVERIFY2(window.panelShown(name, tab) != was, dock);
                key(k);
                QVERIFY2(window.panelShown(name, tab) == was, dock);
            }
            QVERIFY(!window.panelShown(QStringLiteral("lesson"), 1)); // D showed a panel that was behind another
            key(Qt::Key_D);
            QVERIFY(window.panelShown(QStringLiteral("lesson"), 1));

            // + zooms in; Ctrl+Right and Shift+Down pan; Right is still Step; 0 fits everything again.
            SceneView *view = window.view();
            const qreal fitted = view->transform().m11();
            key(Qt::Key_Plus);
            key(Qt::Key_Plus);
            QVERIFY(view->transform().m11() > fitted);
            QScrollBar *h = view->horizontalScrollBar();
            QScrollBar *v = view->verticalScrollBar();
            h->setValue(h->minimum());
            v->setValue(v->minimum());
            QVERIFY2(h->maximum() > h->minimum(), "zoomed in, the scene is wider than the view");
            key(Qt::Key_Right, Qt::ControlModifier);
            QVERIFY(h->value() > h->minimum());
            if (v->maximum() > v->minimum()) {
                key(Qt::Key_Down, Qt::ShiftModifier);
                QVERIFY(v->value() > v->minimum());
            }
            const int panned = h->value();
            stepped.clear();
            key(Qt::Key_Right);
            QCOMPARE(stepped.count(), 1);
            QCOMPARE(run->phase(), RunController::Phase::Paused);
            QCOMPARE(h->value(), panned); // a step does not scroll
            key(Qt::Key_0);
            QVERIFY(qAbs(view->transform().m11() - fitted) < fitted * 0.05);

            // F on the paused hang: the correct version restarts, paused, in place of the hung run.
            key(Qt::Key_F);
            QCOMPARE(fixedValue(window), QStringLiteral("true"));
            QVERIFY(run->runnerPid() != hungRunner);
            QVERIFY(test::waitDead(static_cast<int>(hungRunner), 5000));
            QCOMPARE(run->phase(), RunController::Phase::Paused);
            QVERIFY(bar->status().contains(QStringLiteral("correct version")));
            key(Qt::Key_Space); // resumes at the pace set (full speed): the correct version ends by itself
            QVERIFY(finished.wait(10000));
            QCOMPARE(finished.takeFirst().first().toInt(), static_cast<int>(OutcomeOk));
            // F on a finished run: the pitfall again, running.
            key(Qt::Key_F);
            QCOMPARE(fixedValue(window), QStringLiteral("false"));
            QCOMPARE(run->phase(), RunController::Phase::Running);
            QVERIFY(bar->status().contains(QStringLiteral("pitfall")));

            // S: side by side; R restarts both; the status names both runs while one still runs.
            key(Qt::Key_S);
            ComparePane *compare = window.compare();
            QVERIFY(compare->isActive());
            RunController *twin = compare->twin();
            QSignalSpy twinDone(twin, &RunController::runFinished);
            key(Qt::Key_R);
            QCOMPARE(twin->phase(), RunController::Phase::Running);
            QVERIFY(twinDone.wait(10000));
            QCOMPARE(twinDone.first().first().toInt(), static_cast<int>(OutcomeOk));
            QCOMPARE(run->phase(), RunController::Phase::Running); // the pitfall still hangs
            QCOMPARE(bar->phase(), RunController::Phase::Running); // so the bar offers Pause
            QVERIFY2(bar->status().contains(QStringLiteral("pitfall: running"))
                    && bar->status().contains(QStringLiteral("correct version: finished by itself")),
                qPrintable(bar->status()));
            // O: rows instead of columns, and back.
            const Qt::Orientation chosen = compare->orientation();
            key(Qt::Key_O);
            QVERIFY(compare->orientation() != chosen);
            key(Qt::Key_O);
            QCOMPARE(compare->orientation(), chosen);

            // F5: presenter mode, the scene alone, full screen; F5 again: the desk as it was.
            const QSize desk = window.size();
            QVERIFY(window.panelShown(QStringLiteral("lesson"), 1)); // shown by D during the hang
            key(Qt::Key_F5);
            QVERIFY(window.presenter()->isActive());
            QVERIFY(window.isFullScreen());
            QVERIFY(!window.menuBar()->isVisible());
            QVERIFY(!window.findChild<QDockWidget *>(QStringLiteral("log"))->isVisible());
            key(Qt::Key_F5);
            QVERIFY(!window.presenter()->isActive());
            QVERIFY(!window.isFullScreen());
            QVERIFY(window.menuBar()->isVisible());
            QVERIFY(window.findChild<QDockWidget *>(QStringLiteral("log"))->isVisible());
            QCOMPARE(window.size(), desk);
            // Each dock group shows the same tab in front as before (not the last one shown).
            QVERIFY(window.panelShown(QStringLiteral("lesson"), 1));

            // Esc stops the pitfall, S leaves side by side, Ctrl+R clears the stage.
            key(Qt::Key_Escape);
            QCOMPARE(run->phase(), RunController::Phase::Finished);
            QCOMPARE(bar->phase(), RunController::Phase::Finished);
            key(Qt::Key_S);
            QVERIFY(!compare->isActive());
            key(Qt::Key_R, Qt::ControlModifier);
            QCOMPARE(run->phase(), RunController::Phase::Idle);
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }
};

QTEST_MAIN(TestLecture)
#include "tst_lecture.moc"
