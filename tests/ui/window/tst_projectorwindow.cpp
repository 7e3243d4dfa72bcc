// The window as a lecturer meets it on a projector, keyboard only (issue 9): side by
// side picks the layout that draws larger and both panes say what they are; its
// headlines follow presenter mode's type both ways; the code panel shows its lines
// whole; PgDn says which key runs the scenario; Run/Pause/Resume never moves the bar;
// docks never squeeze the stage; a long quiz card fits a small stage.
#include "ui/lessons/codeview.h"
#include "ui/lessons/lessonpanels.h"
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
#include <QPlainTextEdit>
#include <QPushButton>
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

} // namespace

class TestProjectorWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }

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
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
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
