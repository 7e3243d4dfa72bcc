// The window as a lecturer meets it on a projector, keyboard only (issue 9): side by
// side picks the layout that draws larger and both panes say what they are; its
// headlines follow presenter mode's type both ways; the code panel shows its lines
// whole; PgDn says which key runs the scenario; Run/Pause/Resume never moves the bar;
// docks never squeeze the stage; a long quiz card fits a small stage.
#include "core/quiz/quizquestion.h"
#include "ui/lessons/codeview.h"
#include "ui/lessons/lessonpanels.h"
#include "ui/scene/sceneview.h"
#include "ui/window/comparepane.h"
#include "ui/window/controlbar.h"
#include "ui/window/dockbudget.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentermode.h"
#include "ui/window/quizoverlay.h"
#include "ui/window/scenariopicker.h"
#include "warmup.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabBar>
#include <QTabWidget>
#include <QtTest>

using namespace pipescope;

namespace
{

QAction *action(QWidget *window, const QString &name)
{
    return window->findChild<QAction *>(name);
}

/// The visible, docked docks of window on these sides.
QRect dockedArea(QMainWindow *window, Qt::DockWidgetAreas areas)
{
    QRect r;
    for (QDockWidget *d : window->findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly))
        if (d->isVisible() && !d->isFloating() && !d->visibleRegion().isEmpty() && (window->dockWidgetArea(d) & areas))
            r = r.united(d->geometry());
    return r;
}

/// How a test opens the window, as a lecturer would: its size, presenter mode, a scenario, side by side (S).
struct Setup {
    QSize size {1024, 768};
    bool presenter = false;
    QString scenario; ///< empty: the one the window opened with
    bool sideBySide = false;
};

/// Shows window as setup says and waits until it is on screen; false when a step did not take.
bool open(MainWindow &window, const Setup &setup)
{
    window.resize(setup.size);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    if (setup.presenter)
        window.presenter()->setActive(true);
    if (!setup.scenario.isEmpty() && !window.openScenario(setup.scenario))
        return false;
    if (setup.sideBySide)
        QTest::keyClick(&window, Qt::Key_S);
    return window.compare()->isActive() == setup.sideBySide;
}

/// The label in parent showing exactly text (a headline, a hint), or null.
QLabel *labelShowing(QWidget *parent, const QString &text)
{
    for (QLabel *l : parent->findChildren<QLabel *>())
        if (!text.isEmpty() && l->text() == text && l->isVisible())
            return l;
    return nullptr;
}

} // namespace

class TestProjectorWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }

    /// PgDn opens the next scenario and says how to run it, the key first (an elided status keeps it).
    void nextScenarioSaysSpaceRunsIt()
    {
        MainWindow window(nullptr);
        QVERIFY(open(window, {}));
        for (int i = 0; i < 3; ++i) {
            QTest::keyClick(&window, Qt::Key_PageDown);
            const QString name = window.picker()->current();
            QVERIFY2(window.controls()->status().startsWith(name + QStringLiteral(": Space runs it")),
                qPrintable(window.controls()->status()));
        }
    }

    /// Run, Pause and Resume are one button of one width: the buttons right of it never move,
    /// also in presenter type.
    void runButtonKeepsItsWidth()
    {
        ControlBar bar;
        bar.resize(1400, bar.sizeHint().height());
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        for (int pointSize : {10, 24}) {
            QFont f = bar.font();
            f.setPointSize(pointSize);
            bar.setFont(f);
            bar.layout()->activate();
            QPushButton *run = bar.button(QStringLiteral("run"));
            QPushButton *step = bar.button(QStringLiteral("step"));
            const int width = run->width();
            const int stepX = step->x();
            for (auto phase : {RunController::Phase::Running, RunController::Phase::Paused,
                     RunController::Phase::Finished, RunController::Phase::Idle}) {
                bar.setPhase(phase);
                bar.layout()->activate();
                QCOMPARE(run->width(), width);
                QCOMPARE(step->x(), stepX);
                // The label is whole: the widest of the three fits.
                QVERIFY(run->fontMetrics().horizontalAdvance(run->text()) < run->width());
            }
            QVERIFY(run->fontMetrics().horizontalAdvance(QStringLiteral("Resume")) < width);
        }
    }

    /// S before any run: both panes say what they are and which key runs them, in large type,
    /// for a pitfall and for a lesson without a correct version.
    void bothPanesSayWhatTheyAreBeforeARun()
    {
        MainWindow window(nullptr);
        QVERIFY(open(window, {.scenario = QStringLiteral("no-close-eof"), .sideBySide = true}));
        ComparePane *compare = window.compare();
        QVERIFY2(compare->primaryHint().contains(QStringLiteral("pitfall"))
                && compare->primaryHint().contains(QStringLiteral("Space")),
            qPrintable(compare->primaryHint()));
        QVERIFY2(compare->twinHint().contains(QStringLiteral("correct version"))
                && compare->twinHint().contains(QStringLiteral("Space")),
            qPrintable(compare->twinHint()));
        QVERIFY2(compare->primaryStatus().contains(QStringLiteral("Space")), qPrintable(compare->primaryStatus()));
        QVERIFY2(compare->twinStatus().contains(QStringLiteral("Space")), qPrintable(compare->twinStatus()));
        // The empty scene gives way to the hint: no blank pane.
        QVERIFY(!window.view()->isVisible());
        QVERIFY(!compare->twinView()->isVisible());
        // A lesson without `fixed`: the first pane names it; the second says there is nothing to compare.
        QVERIFY(window.openScenario(QStringLiteral("simple")));
        QVERIFY2(compare->primaryHint().contains(QStringLiteral("simple"))
                && compare->primaryHint().contains(QStringLiteral("Space")),
            qPrintable(compare->primaryHint()));
        QVERIFY(compare->twinTitle().contains(QStringLiteral("Nothing to compare")));
        // Leaving side by side: the stage is the scene again.
        QTest::keyClick(&window, Qt::Key_S);
        QVERIFY(!compare->isActive());
        QVERIFY(compare->primaryHint().isEmpty());
        QVERIFY(window.view()->isVisible());
    }

    /// The headlines over the two runs grow with presenter mode's type and shrink back after it.
    void compareHeadlinesFollowPresenterType()
    {
        MainWindow window(nullptr);
        QVERIFY(open(window, {.scenario = QStringLiteral("no-close-eof"), .sideBySide = true}));
        ComparePane *compare = window.compare();
        auto *title = compare->findChildren<QLabel *>().value(0);
        QVERIFY(title);
        const qreal before = compare->titleFont().pointSizeF();
        const qreal statusBefore = compare->statusFont().pointSizeF();
        window.presenter()->setActive(true);
        QTRY_VERIFY(compare->titleFont().pointSizeF() > before);
        const qreal appPt = QApplication::font().pointSizeF();
        QVERIFY2(compare->titleFont().pointSizeF() > appPt, qPrintable(QString::number(appPt)));
        QVERIFY(compare->statusFont().pointSizeF() >= appPt);
        // What is on screen: every headline label wears the new type.
        const QStringList headlines
            = {compare->primaryTitle(), compare->twinTitle(), compare->primaryStatus(), compare->twinStatus()};
        auto shown = [&] {
            QList<QLabel *> labels;
            for (QLabel *l : compare->findChildren<QLabel *>())
                if (headlines.contains(l->text()))
                    labels << l;
            return labels;
        };
        QCOMPARE(shown().size(), 4);
        for (QLabel *l : shown())
            QVERIFY2(l->font().pointSizeF() >= appPt, qPrintable(l->text()));
        window.presenter()->setActive(false);
        QTRY_COMPARE(compare->titleFont().pointSizeF(), before);
        QCOMPARE(compare->statusFont().pointSizeF(), statusBefore);
        for (QLabel *l : shown())
            QVERIFY2(l->font().pointSizeF() < appPt, qPrintable(l->text()));
    }

    /// Side by side stands in rows or columns, whichever draws the scenes larger; O flips it.
    void sideBySidePicksTheLargerScale_data()
    {
        QTest::addColumn<QSizeF>("stage");
        QTest::addColumn<QSizeF>("scene");
        QTest::addColumn<int>("expected");
        QTest::newRow("wide, short scene on a 4:3 projector")
            << QSizeF(1024, 660) << QSizeF(1500, 400) << int(Qt::Vertical);
        QTest::newRow("tall scene (fd cards, 64 writers)")
            << QSizeF(1024, 660) << QSizeF(900, 1400) << int(Qt::Horizontal);
        QTest::newRow("wide stage, square scene") << QSizeF(1920, 900) << QSizeF(800, 800) << int(Qt::Horizontal);
    }
    void sideBySidePicksTheLargerScale()
    {
        QFETCH(QSizeF, stage);
        QFETCH(QSizeF, scene);
        QFETCH(int, expected);
        const qreal head = 70;
        const qreal rows = ComparePane::scaleFor(Qt::Vertical, stage, scene, head);
        const qreal columns = ComparePane::scaleFor(Qt::Horizontal, stage, scene, head);
        QCOMPARE(int(rows > columns ? Qt::Vertical : Qt::Horizontal), expected);
        QVERIFY(rows > 0 && columns > 0);
    }

    /// In the window: the orientation chosen is the one with the larger scale, and O flips it.
    void sideBySideInTheWindowChoosesAndFlips()
    {
        MainWindow window(nullptr);
        QVERIFY(open(window, {.presenter = true, .scenario = QStringLiteral("no-close-eof"), .sideBySide = true}));
        ComparePane *compare = window.compare();
        const Qt::Orientation chosen = compare->orientation();
        const Qt::Orientation other = chosen == Qt::Horizontal ? Qt::Vertical : Qt::Horizontal;
        QVERIFY2(compare->scaleOf(chosen) >= compare->scaleOf(other),
            qPrintable(QStringLiteral("%1 vs %2").arg(compare->scaleOf(chosen)).arg(compare->scaleOf(other))));
        QTest::keyClick(&window, Qt::Key_O);
        QCOMPARE(compare->orientation(), other);
        window.presenter()->setActive(false);
    }

    /// Side by side in columns: the two headlines wrap differently ("The pitfall as written
    /// (fixed=false)" is longer), yet both panes' stages start at the same y, at every width.
    void columnsLineUpTheirStages()
    {
        MainWindow window(nullptr);
        QVERIFY(open(window, {.presenter = true, .scenario = QStringLiteral("no-close-eof"), .sideBySide = true}));
        window.showNormal(); // the offscreen screen is smaller than a projector
        ComparePane *compare = window.compare();
        if (compare->orientation() != Qt::Horizontal)
            QTest::keyClick(&window, Qt::Key_O);
        QCOMPARE(compare->orientation(), Qt::Horizontal);
        QLabel *first = labelShowing(compare, compare->primaryTitle());
        QLabel *second = labelShowing(compare, compare->twinTitle());
        QVERIFY(first && second && first->parentWidget() != second->parentWidget());
        // Both status lines say the same before a run: each is looked for in its own pane.
        QLabel *firstStatus = labelShowing(first->parentWidget(), compare->primaryStatus());
        QLabel *secondStatus = labelShowing(second->parentWidget(), compare->twinStatus());
        QLabel *firstStage = labelShowing(compare, compare->primaryHint());
        QLabel *secondStage = labelShowing(compare, compare->twinHint());
        QVERIFY(firstStatus && secondStatus && firstStage && secondStage);
        // Presenter type reaches the headlines through the event loop.
        QTRY_VERIFY(first->font().pointSizeF() > QApplication::font().pointSizeF());
        auto top = [compare](QWidget *w) { return w->mapTo(compare, QPoint(0, 0)).y(); };
        int unequal = 0; // widths at which the two headlines alone would take different heights
        for (int width = 1000; width <= 1600; width += 50) {
            window.resize(width, 768);
            QTRY_COMPARE(window.width(), width);
            QTRY_COMPARE(first->width() + second->width() > width / 2, true);
            unequal += first->heightForWidth(first->width()) != second->heightForWidth(second->width()) ? 1 : 0;
            QTRY_COMPARE(top(firstStage), top(secondStage));
            QCOMPARE(top(firstStatus), top(secondStatus));
        }
        QVERIFY2(unequal > 0, "the headlines never wrapped differently: this test saw nothing to line up");
        window.presenter()->setActive(false);
    }

    /// The scenario dock (picker, description, parameters) fits its width at 1024x768, in normal and
    /// presenter type, for every scenario: nothing needs a horizontal scroll bar.
    void scenarioDockNeedsNoHorizontalScrolling_data()
    {
        QTest::addColumn<bool>("presenter");
        QTest::addColumn<bool>("columnsBefore");
        QTest::newRow("normal") << false << false;
        QTest::newRow("presenter") << true << false;
        // Side by side in columns wants a wide stage: the docks once went down to 70 px after it.
        QTest::newRow("after presenter, side by side in columns") << false << true;
    }
    void scenarioDockNeedsNoHorizontalScrolling()
    {
        QFETCH(bool, presenter);
        QFETCH(bool, columnsBefore);
        MainWindow window(nullptr);
        if (columnsBefore) {
            // As `pipescope --presenter --compare` starts: presenter mode before the window was laid out.
            window.show();
            window.presenter()->setActive(true);
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.openScenario(QStringLiteral("no-close-eof")));
            QTest::keyClick(&window, Qt::Key_S);
            if (window.compare()->orientation() != Qt::Horizontal)
                QTest::keyClick(&window, Qt::Key_O);
            QCOMPARE(window.compare()->orientation(), Qt::Horizontal);
            window.presenter()->setActive(false);
        } else {
            QVERIFY(open(window, {.presenter = presenter}));
        }
        // The type (presenter's or not) reaches the docks through the event loop.
        QTRY_COMPARE(window.picker()->font().pointSizeF(), QApplication::font().pointSizeF());
        window.showNormal();
        window.resize(1024, 768);
        QTRY_COMPARE(window.width(), 1024);
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("scenario"));
        QVERIFY(dock);
        if (!dock->isVisible())
            dock->show();
        auto *scroll = qobject_cast<QScrollArea *>(dock->widget());
        QVERIFY(scroll);
        const QString start = window.picker()->current();
        int seen = 0;
        do {
            // Each scenario brings its own parameters: every one of them fits.
            QTRY_COMPARE(scroll->widget()->width(), scroll->viewport()->width());
            QVERIFY2(scroll->horizontalScrollBar()->maximum() == 0,
                qPrintable(QStringLiteral("%1: dock %2 px, contents want %3 px")
                               .arg(window.picker()->current())
                               .arg(dock->width())
                               .arg(scroll->widget()->minimumSizeHint().width())));
            QTest::keyClick(&window, Qt::Key_PageDown);
        } while (window.picker()->current() != start && ++seen < 100); // PgDn wraps round to the first
        QVERIFY(seen > 5);
        window.presenter()->setActive(false);
    }

    /// Presenter mode at 1280x720: the code panel (C) opens wide enough for about 60 columns within
    /// the docks' share, wraps what is longer (nothing cut off), and its tabs are never elided.
    void codePanelIsReadableInPresenterMode()
    {
        MainWindow window(nullptr);
        QVERIFY(open(window, {.size = QSize(1280, 720), .presenter = true}));
        // The offscreen screen is smaller than a projector: the presenter's window as it would be on one.
        window.showNormal();
        window.resize(1280, 720);
        QTRY_COMPARE(window.width(), 1280);
        QVERIFY(window.openScenario(QStringLiteral("capacity")));
        QTest::keyClick(&window, Qt::Key_C);
        QVERIFY(window.panelShown(QStringLiteral("lesson"), 0));
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("lesson"));
        CodeView *code = window.lessons()->code();
        const int want = std::min(code->widthForColumns(60), int(window.width() * DockBudget::share()) - 30);
        QTRY_VERIFY2_WITH_TIMEOUT(
            dock->width() >= want, qPrintable(QStringLiteral("%1 < %2").arg(dock->width()).arg(want)), 5000);
        QTRY_VERIFY2(dock->width() <= window.width() * DockBudget::share() + 1,
            qPrintable(QStringLiteral("%1 in %2").arg(dock->width()).arg(window.width())));
        QVERIFY(code->editor()->lineWrapMode() != QPlainTextEdit::NoWrap);
        QCOMPARE(code->editor()->horizontalScrollBar()->maximum(), 0); // no line runs off the right edge
        QTabWidget *tabs = window.lessons()->tabs();
        QCOMPARE(tabs->elideMode(), Qt::ElideNone);
        for (int i = 0; i < tabs->count(); ++i)
            QVERIFY2(
                tabs->tabBar()->tabRect(i).width() >= tabs->tabBar()->fontMetrics().horizontalAdvance(tabs->tabText(i)),
                qPrintable(tabs->tabText(i)));
        window.presenter()->setActive(false);
    }

    /// A long question on a small stage (docks open at 1024x768) takes smaller type: its last line,
    /// the key to press, is on screen, never cut at the bottom.
    void longQuizCardFitsASmallStage_data()
    {
        QTest::addColumn<QSize>("stage");
        QTest::newRow("beside docks at 1024x768") << QSize(460, 300);
        QTest::newRow("presenter at 1280x720") << QSize(1280, 600);
    }
    void longQuizCardFitsASmallStage()
    {
        QFETCH(QSize, stage);
        QWidget host;
        host.resize(stage);
        QuizOverlay card(&host);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        QuizQuestion q;
        q.number = 3;
        q.topic = "read on an empty pipe, a writer left";
        q.situation = "The child holds the read end of pipe 1; the parent still holds its write end, has written "
                      "nothing yet and is asleep in waitpid for the child.";
        q.prompt = "What does the child's read(3, buf, 4096) do now?";
        q.choices = {{"It returns 0 at once: end of file", {}}, {"It blocks until the parent writes or closes", {}},
            {"It fails with EAGAIN because the pipe is empty", {}},
            {"It is killed by SIGPIPE because nobody will ever write", {}}};
        card.showQuestion(q);
        QVERIFY(card.isVisible());
        QVERIFY2(card.showsWholeCard(), qPrintable(QStringLiteral("%1 px high").arg(card.height())));
        QVERIFY(host.rect().contains(card.geometry()));
        QVERIFY(card.text().contains(QStringLiteral("Press 1-4")));
    }

    /// At 1024x768 with every dock open the stage kept 140 px: the docks now take at most
    /// DockBudget::share() of either axis, and the stage keeps at least half of it.
    void docksLeaveTheStageHalf_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x768") << QSize(1024, 768);
        QTest::newRow("1280x720") << QSize(1280, 720);
    }
    void docksLeaveTheStageHalf()
    {
        QFETCH(QSize, size);
        MainWindow window(nullptr);
        QVERIFY(open(window, {.size = size}));
        auto *stage = window.centralWidget();
        auto report = [&] {
            return qPrintable(QStringLiteral("stage %1x%2, sides %3 px, bottom %4 px")
                                  .arg(stage->width())
                                  .arg(stage->height())
                                  .arg(dockedArea(&window, Qt::LeftDockWidgetArea).width()
                                      + dockedArea(&window, Qt::RightDockWidgetArea).width())
                                  .arg(dockedArea(&window, Qt::BottomDockWidgetArea).height()));
        };
        auto halfOrMore = [&] {
            const int sides = dockedArea(&window, Qt::LeftDockWidgetArea).width()
                + dockedArea(&window, Qt::RightDockWidgetArea).width();
            const int bottom = dockedArea(&window, Qt::BottomDockWidgetArea).height();
            return stage->width() >= sides && stage->height() >= bottom;
        };
        QVERIFY(dockedArea(&window, Qt::BottomDockWidgetArea).isValid()); // the docks are open
        QVERIFY(dockedArea(&window, Qt::LeftDockWidgetArea).isValid());
        QTRY_VERIFY2_WITH_TIMEOUT(halfOrMore(), report(), 5000);
        // A dock opened later (the lesson, C) keeps to the budget as well.
        QTest::keyClick(&window, Qt::Key_C);
        QTRY_VERIFY2_WITH_TIMEOUT(halfOrMore(), report(), 5000);
    }
};

QTEST_MAIN(TestProjectorWindow)
#include "tst_projectorwindow.moc"
