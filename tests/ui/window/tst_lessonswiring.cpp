// The lesson panels inside the real main window: while a run is held at its
// gates, the code view points at the line about to execute, the fd table
// shows the focused process's real descriptors, and the timeline has a lane
// per process. Set PIPESCOPE_SHOT_DIR to keep a PNG of the window.
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "runharness.h"
#include "ui/lessons/codeview.h"
#include "ui/lessons/fdtablemodel.h"
#include "ui/lessons/fdtablepanel.h"
#include "ui/lessons/lessonpanels.h"
#include "ui/lessons/timelineview.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/scene/sceneview.h"
#include "ui/source/runcontroller.h"
#include "ui/window/appoptions.h"
#include "ui/window/appsettings.h"
#include "ui/window/mainwindow.h"
#include "ui/window/parametereditor.h"
#include "ui/window/presentermode.h"
#include "ui/window/scenariopicker.h"
#include "uiwait.h"
#include "warmup.h"

#include <QApplication>
#include <QDockWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QtTest>

using namespace pipescope;

class TestLessonsWiring : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }

    void curriculumByKeyboardAlone()
    {
        MainWindow window(nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.presenter()->setActive(true);
        const auto &all = ScenarioCatalog::all();
        auto nameOf = [](const Scenario *s) { return QString::fromUtf8(s->name().data(), s->name().size()); };
        QVERIFY(window.openScenario(nameOf(all.front())));
        QTest::keyClick(&window, Qt::Key_PageUp); // wraps to the last one
        QCOMPARE(window.picker()->current(), nameOf(all.back()));
        QTest::keyClick(&window, Qt::Key_PageDown);
        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(window.picker()->current(), nameOf(all.at(1)));
        QVERIFY(window.openScenario(QStringLiteral("zombie")));
        QCOMPARE(window.parameters()->values().value(QStringLiteral("fixed")), QStringLiteral("false"));
        QTest::keyClick(&window, Qt::Key_F);
        QCOMPARE(window.parameters()->values().value(QStringLiteral("fixed")), QStringLiteral("true"));
        QTest::keyClick(&window, Qt::Key_F);
        QCOMPARE(window.parameters()->values().value(QStringLiteral("fixed")), QStringLiteral("false"));
        window.presenter()->setActive(false);
    }

    void clickingANodeStepsThatProcessOnly()
    {
        MainWindow window(nullptr);
        window.resize(1600, 900);
        window.show();
        QVERIFY(window.openScenario(QStringLiteral("parent-child")));
        QVERIFY(window.startRun(/*held=*/true));
        RunController *c = window.controller();
        auto find = [c](const char *role) -> const ProcessInfo * {
            for (const ProcessInfo &p : c->state().processes()) {
                if (p.role == role)
                    return &p;
            }
            return nullptr;
        };
        // Step until both are held at their gates.
        QVERIFY(test::waitUntil(
            [&] {
                const ProcessInfo *parent = find("parent");
                const ProcessInfo *child = find("child");
                if (parent && child && parent->state == ProcessState::Held && child->state == ProcessState::Held)
                    return true;
                c->step();
                return false;
            },
            c, &RunController::eventsArrived, 10000));
        const int child = find("child")->pid;
        const std::string parentHeldAt = find("parent")->detail;
        const auto before = c->state().eventCount();
        ProcessItem *item = window.scene()->processItem(child);
        QVERIFY(item);
        const QPoint at = window.view()->mapFromScene(item->sceneBoundingRect().center());
        QTest::mouseClick(window.view()->viewport(), Qt::LeftButton, {}, at);
        // The child makes its call and comes back to its next gate; the parent has not moved.
        QVERIFY(test::waitUntil(
            [&] {
                const ProcessInfo *p = c->state().process(child);
                return c->state().eventCount() > before + 1 && p->state == ProcessState::Held;
            },
            c, &RunController::eventsArrived, 10000));
        QCOMPARE(window.lessons()->focusedPid(), child);
        QCOMPARE(find("parent")->state, ProcessState::Held);
        QCOMPARE(find("parent")->detail, parentHeldAt);
        c->reset();
    }

    void heldRunFillsTheLessonPanels()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            MainWindow window(nullptr);
            window.resize(1920, 1080);
            window.show();
            QVERIFY(window.openScenario(QStringLiteral("parent-child")));
            QVERIFY(window.startRun(/*held=*/true));
            RunController *c = window.controller();
            LessonPanels *lessons = window.lessons();
            // Step until the child exists and is held at a gate.
            const bool childHeld = test::waitUntil(
                [&] {
                    const ProcessInfo *child = nullptr;
                    for (const ProcessInfo &p : c->state().processes())
                        child = p.role == "child" ? &p : child;
                    if (child && child->state == ProcessState::Held)
                        return true;
                    c->step();
                    return false;
                },
                c, &RunController::eventsArrived, 10000);
            QVERIFY(childHeld);
            // The code view follows the process that acted last, at a real line.
            QVERIFY(lessons->focusedPid() > 0);
            QVERIFY(lessons->code()->highlightedLine() >= 0);
            // Its fd table is read from /proc: the pipe ends and the telemetry fd are there.
            lessons->fdTable()->refresh();
            QVERIFY(lessons->fdTable()->model()->rowCount() >= 4);
            window.findChild<QDockWidget *>(QStringLiteral("lesson"))->raise();
            lessons->tabs()->setCurrentIndex(0);
            if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty())
                window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/lessons-held.png"));
            // The dark theme reaches the whole window.
            window.setTheme(QStringLiteral("dark"));
            QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
            QCoreApplication::sendPostedEvents(); // the palette reaches widgets through posted events
            if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty())
                window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/lessons-held-dark.png"));
            window.setTheme(QStringLiteral("light"));
            QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
            // Presenter mode hides the chrome and comes back the same.
            window.presenter()->setActive(true);
            QVERIFY(!window.menuBar()->isVisible());
            window.presenter()->setActive(false);
            QVERIFY(window.menuBar()->isVisible());
            c->fullSpeed();
            QVERIFY(test::waitUntil([&] { return c->state().finished(); }, c, &RunController::eventsArrived, 10000));
            QCOMPARE(c->state().outcome(), static_cast<int>(OutcomeOk));
            QCOMPARE(lessons->events().size(), static_cast<qsizetype>(c->state().eventCount()));
            c->reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    /// L flips the code view between C and Python on the same call; the choice survives a
    /// restart (settings), and --listing python opens with Python whatever was saved.
    void languageKeyFlipsTheListing()
    {
        // QtTest's test mode keeps the settings in a folder of this test's own, never the user's.
        {
            AppSettings settings;
            QVERIFY2(settings.fileName().contains(QStringLiteral("qttest")), qPrintable(settings.fileName()));
            settings.setListingLanguage(ListingLanguage::C); // as a first start finds it
        }
        {
            AppSettings settings;
            QCOMPARE(settings.listingLanguage(), ListingLanguage::C);
            MainWindow window(&settings);
            window.resize(1600, 900);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(window.openScenario(QStringLiteral("parent-child")));
            QVERIFY(window.startRun(/*held=*/true));
            RunController *c = window.controller();
            CodeView *code = window.lessons()->code();
            QCOMPARE(code->language(), ListingLanguage::C);
            // Step a few calls: the cursor is on a line, and that line makes a known call.
            auto callShown = [code]() -> EventKind {
                const CodeCursor &cursor = code->cursor();
                if (!cursor.program() || cursor.currentLine() < 0 || cursor.currentCall() < 0)
                    return EventKind::Count_;
                const CodeLine &l = cursor.program()->lines[static_cast<std::size_t>(cursor.currentLine())];
                return l.calls[static_cast<std::size_t>(cursor.currentCall())].kind;
            };
            QVERIFY(test::waitUntil(
                [&] {
                    if (c->stepsTaken() >= 3 && callShown() != EventKind::Count_)
                        return true;
                    c->step();
                    return false;
                },
                c, &RunController::eventsArrived, 10000));
            const EventKind before = callShown();
            const QString cText = code->editor()->toPlainText();
            QVERIFY(cText.contains(QStringLiteral("close(fd[")));
            QTest::keyClick(&window, Qt::Key_L);
            QCOMPARE(code->language(), ListingLanguage::Python);
            const QString pythonText = code->editor()->toPlainText();
            QVERIFY2(pythonText.contains(QStringLiteral("os.close(")), qPrintable(pythonText));
            QVERIFY(!pythonText.contains(QStringLiteral("close(fd[")));
            // The same call, now on its Python line: the cursor followed the events already seen.
            QCOMPARE(callShown(), before);
            QVERIFY(code->highlightedLine() >= 0);
            if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty()) {
                window.findChild<QDockWidget *>(QStringLiteral("lesson"))->raise();
                window.lessons()->tabs()->setCurrentIndex(0);
                window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/code-python.png"));
            }
            QCOMPARE(settings.listingLanguage(), ListingLanguage::Python);
            window.controller()->stop();
        }
        {
            AppSettings again; // a new start reads the file
            QCOMPARE(again.listingLanguage(), ListingLanguage::Python);
            MainWindow window(&again);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QVERIFY(window.openScenario(QStringLiteral("subprocess")));
            QCOMPARE(window.lessons()->code()->language(), ListingLanguage::Python);
            QTest::keyClick(&window, Qt::Key_L);
            QCOMPARE(window.lessons()->code()->language(), ListingLanguage::C);
            QCOMPARE(again.listingLanguage(), ListingLanguage::C);
            // Presenter mode hides the menu bar: L must still flip (it did nothing there once).
            window.presenter()->setActive(true);
            QTest::keyClick(&window, Qt::Key_L);
            QCOMPARE(window.lessons()->code()->language(), ListingLanguage::Python);
            QTest::keyClick(&window, Qt::Key_L);
            QCOMPARE(window.lessons()->code()->language(), ListingLanguage::C);
            window.presenter()->setActive(false);
        }
        {
            // What main() does with --listing python.
            QString error;
            const auto options = AppOptions::parse(
                {QStringLiteral("pipescope"), QStringLiteral("--listing"), QStringLiteral("python")}, &error);
            QVERIFY2(options && options->listing, qPrintable(error));
            AppSettings settings; // C was saved last (the block above)
            QCOMPARE(settings.listingLanguage(), ListingLanguage::C);
            MainWindow window(&settings);
            window.setListingLanguage(*options->listing);
            QVERIFY(window.openScenario(QStringLiteral("parent-child")));
            window.lessons()->code()->showProgram(QStringLiteral("parent-child"), QStringLiteral("parent"));
            QCOMPARE(window.lessons()->code()->language(), ListingLanguage::Python);
            QVERIFY(window.lessons()->code()->editor()->toPlainText().contains(QStringLiteral("os.pipe()")));
        }
    }
};

QTEST_MAIN(TestLessonsWiring)
#include "tst_lessonswiring.moc"
