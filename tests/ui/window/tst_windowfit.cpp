// A projector may be 1024x768: nothing may make the window wider or taller than
// the screen it is on. Labels elide instead of widening, geometry is clamped to
// the screen (at start, after presenter mode, when restored from settings), and
// the help overlay reflows until every key fits.
#include "core/scenarios/scenariocatalog.h"
#include "ui/lessons/helpoverlay.h"
#include "ui/window/controlbar.h"
#include "ui/window/elidedlabel.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentermode.h"
#include "ui/window/scenariopicker.h"
#include "ui/window/screenfit.h"
#include "warmup.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QLayout>
#include <QSlider>
#include <QtTest>

using namespace pipescope;

namespace
{
/// The smallest projector a lecturer meets.
const QSize kSmallest(1024, 768);
} // namespace

class TestWindowFit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }

    void clampKeepsTheFrameInside_data()
    {
        QTest::addColumn<QRect>("frame");
        QTest::addColumn<QRect>("available");
        QTest::addColumn<QRect>("expected");
        const QRect hd(0, 0, 1280, 720);
        QTest::newRow("fits: unchanged") << QRect(100, 50, 800, 600) << hd << QRect(100, 50, 800, 600);
        QTest::newRow("the old first start at 1280x720") << QRect(0, 0, 1600, 900) << hd << hd;
        QTest::newRow("too wide after presenter mode") << QRect(-300, 10, 2200, 700) << hd << QRect(0, 10, 1280, 700);
        QTest::newRow("off the right edge") << QRect(1000, 100, 800, 500) << hd << QRect(480, 100, 800, 500);
        QTest::newRow("under a panel at the top")
            << QRect(0, 0, 800, 600) << QRect(0, 30, 1024, 738) << QRect(0, 30, 800, 600);
        QTest::newRow("on a second screen")
            << QRect(1500, 0, 1920, 1080) << QRect(1280, 0, 1024, 768) << QRect(1280, 0, 1024, 768);
        QTest::newRow("no screen: unchanged") << QRect(5, 5, 3000, 2000) << QRect() << QRect(5, 5, 3000, 2000);
    }
    void clampKeepsTheFrameInside()
    {
        QFETCH(QRect, frame);
        QFETCH(QRect, available);
        QFETCH(QRect, expected);
        QCOMPARE(ScreenFit::clamp(frame, available), expected);
    }

    void firstStartFitsSmallScreens()
    {
        QCOMPARE(ScreenFit::defaultSize(QRect(0, 0, 1920, 1080)), QSize(1600, 900));
        const QSize hd = ScreenFit::defaultSize(QRect(0, 0, 1280, 720));
        QVERIFY(hd.width() <= 1280 && hd.height() <= 720);
        QVERIFY(hd.width() >= 1000); // still a real window, not a stamp
    }

    void savedGeometryIsCheckedAgainstTheScreen()
    {
        // A window saved on a 2560x1440 desk, restored on a 1280x720 projector.
        QByteArray saved;
        {
            QWidget big;
            big.setGeometry(200, 100, 2200, 1300);
            saved = big.saveGeometry();
        }
        const QRect projector(0, 0, 1280, 720);
        QWidget window;
        QVERIFY(ScreenFit::restore(&window, saved, projector));
        QVERIFY2(projector.contains(window.frameGeometry()),
            qPrintable(QStringLiteral("%1x%2+%3+%4")
                           .arg(window.width())
                           .arg(window.height())
                           .arg(window.x())
                           .arg(window.y())));
        // Garbage from an old version: the default size, inside the screen.
        QWidget other;
        QVERIFY(!ScreenFit::restore(&other, QByteArray("not a geometry"), projector));
        QVERIFY(projector.contains(other.frameGeometry()));
        QCOMPARE(other.size(), ScreenFit::defaultSize(projector));
    }

    void elidedLabelNeverWidens()
    {
        QWidget row;
        auto *layout = new QHBoxLayout(&row);
        auto *label = new ElidedLabel(&row);
        layout->addWidget(label);
        const int before = row.minimumSizeHint().width();
        const QString longText = QStringLiteral("running no-close-eof: ").repeated(40);
        label->setFullText(longText);
        QCOMPARE(row.minimumSizeHint().width(), before);
        row.resize(300, 40);
        row.show();
        QVERIFY(QTest::qWaitForWindowExposed(&row));
        QCOMPARE(label->fullText(), longText);
        QCOMPARE(label->toolTip(), longText);
        QVERIFY(label->text().endsWith(QChar(0x2026))); // "..." where it is cut
        QVERIFY(label->fontMetrics().horizontalAdvance(label->text()) <= label->width());
    }

    void paceLadder()
    {
        QCOMPARE(ControlBar::nextPace(300, -1), 200);
        QCOMPARE(ControlBar::nextPace(300, +1), 400);
        QCOMPARE(ControlBar::nextPace(50, -1), 50);
        QCOMPARE(ControlBar::nextPace(2000, +1), 2000);
        QCOMPARE(ControlBar::nextPace(0, -1), 0); // nothing is faster than full speed
        QCOMPARE(ControlBar::nextPace(0, +1), 50); // slower than full speed: the fastest slow motion
        QCOMPARE(ControlBar::nextPace(120, -1), 100); // between two rungs: the next one
        QCOMPARE(ControlBar::nextPace(120, +1), 150);
    }

    /// Every scenario's description and a run's status in presenter type: the window's minimum
    /// width stays that of the smallest projector, whatever the toolbar says.
    void noStatusWidensTheWindow()
    {
        MainWindow window(nullptr);
        window.resize(kSmallest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (bool presenting : {false, true}) {
            window.presenter()->setActive(presenting);
            const int count = static_cast<int>(ScenarioCatalog::all().size());
            for (int i = 0; i < count; ++i) {
                window.stepScenario(+1);
                const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
                QVERIFY2(minimum.width() <= kSmallest.width() && minimum.height() <= kSmallest.height(),
                    qPrintable(QStringLiteral("%1: minimum %2x%3 (presenter %4)")
                                   .arg(window.picker()->current())
                                   .arg(minimum.width())
                                   .arg(minimum.height())
                                   .arg(presenting)));
            }
            window.controls()->setStatus(QStringLiteral("finished: watchdog ").repeated(30));
            QVERIFY(window.minimumSizeHint().width() <= kSmallest.width());
        }
        window.presenter()->setActive(false);
    }

    /// On a narrow bar the status gets a row of its own, room for a sentence instead of "r...";
    /// on a wide one it stays beside the buttons.
    void statusKeepsRoomForASentence()
    {
        ControlBar bar;
        bar.setStatus(QStringLiteral("running no-close-eof"));
        bar.resize(1900, bar.sizeHint().height());
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QVERIFY(!bar.statusOnItsOwnRow());
        bar.resize(kSmallest.width() - 100, bar.sizeHint().height());
        QVERIFY(bar.statusOnItsOwnRow()); // a resize event is delivered at once to a shown widget
        bar.resize(bar.width(), bar.sizeHint().height());
        bar.layout()->activate();
        QVERIFY2(bar.statusWidth() >= 360, qPrintable(QString::number(bar.statusWidth())));
        bar.resize(1900, bar.sizeHint().height());
        QVERIFY(!bar.statusOnItsOwnRow());
    }

    /// A status that does not fit beside the buttons keeps its key hint whole on its own row,
    /// and the row it left keeps the controls at their own width (the slider does not fill it).
    void statusHintIsNeverElidedAway()
    {
        ControlBar bar;
        const QString hint = QStringLiteral("paused: Right steps one call, Space resumes (atomic-writes)");
        bar.resize(1900, bar.sizeHint().height());
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        auto *slider = bar.findChild<QSlider *>();
        QVERIFY(slider);
        const int sliderBeside = slider->width();
        QFont big = bar.font();
        big.setPointSize(big.pointSize() * 2); // presenter type
        bar.setFont(big);
        bar.setStatus(hint);
        bar.resize(1280, bar.sizeHint().height());
        bar.layout()->activate();
        QVERIFY(bar.statusOnItsOwnRow());
        QCOMPARE(bar.shownStatus(), hint);
        QVERIFY2(slider->width() <= 2 * std::max(sliderBeside, slider->sizeHint().width()),
            qPrintable(QStringLiteral("slider %1 px wide").arg(slider->width())));
        // Back beside the buttons, once there is room again: the status gets the spare width.
        bar.setFont(QFont());
        bar.setStatus(QStringLiteral("running"));
        bar.resize(1900, bar.sizeHint().height());
        bar.layout()->activate();
        QVERIFY(!bar.statusOnItsOwnRow());
        QVERIFY2(bar.statusWidth() >= 360, qPrintable(QString::number(bar.statusWidth())));
    }

    void helpFitsTheSmallestProjector_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("minimumPointSize");
        QTest::newRow("1024x768") << kSmallest << 16;
        QTest::newRow("1280x720") << QSize(1280, 720) << 16;
        QTest::newRow("1920x1080") << QSize(1920, 1080) << 20;
    }
    void helpFitsTheSmallestProjector()
    {
        QFETCH(QSize, size);
        QFETCH(int, minimumPointSize);
        QWidget window;
        window.resize(size);
        HelpOverlay overlay(&window);
        const HelpOverlay::Layout layout = overlay.layoutFor(size);
        QVERIFY2(QRect(QPoint(0, 0), size).contains(layout.block),
            qPrintable(QStringLiteral("%1x%2 block in %3x%4")
                           .arg(layout.block.width())
                           .arg(layout.block.height())
                           .arg(size.width())
                           .arg(size.height())));
        // Still read from the back of the room.
        QVERIFY2(layout.pointSize >= minimumPointSize, qPrintable(QString::number(layout.pointSize)));
        if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty()) {
            window.show();
            overlay.showOverlay();
            window.grab().save(
                QString::fromLocal8Bit(dir) + QStringLiteral("/help-%1x%2.png").arg(size.width()).arg(size.height()));
        }
    }
};

QTEST_MAIN(TestWindowFit)
#include "tst_windowfit.moc"
