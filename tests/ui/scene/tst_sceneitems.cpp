// Scene items on their own: a state line that wraps and is never cut short, a
// nanosleep drawn apart from a wait on a pipe, fills labelled as the bound they
// are, badges only while true, rates only where they mean something, and chips
// that keep clear of the items at both ends of their connector.
#include "ui/scene/chunkitem.h"
#include "ui/scene/chunktraffic.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/processitem.h"
#include "ui/scene/ratemeter.h"
#include "ui/scene/scenelayout.h"
#include "ui/scene/theme.h"

#include <QGraphicsScene>
#include <QTest>

using namespace pipescope;

class TestSceneItems : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stateWrapsNeverTruncates_data();
    void stateWrapsNeverTruncates();
    void sleepIsNotBlocked();
    void fillIsLabelledAsItsBound();
    void badgesOnlyWhileTrue();
    void readNeverExceedsWritten();
    void rateOnlyWhenMeaningful();
    void chipsKeepClearAndAreCapped();

private:
    Theme m_theme = Theme::light();
};

void TestSceneItems::stateWrapsNeverTruncates_data()
{
    QTest::addColumn<QSizeF>("size");
    QTest::addColumn<QString>("detail");
    const QSizeF compact(SceneLayout::kCompactNodeWidth, SceneLayout::kCompactNodeHeight);
    const QSizeF wide(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight);
    for (const QString &d : {QStringLiteral("blocked in read(3): pipe empty [anon_pipe_read]"),
             QStringLiteral("blocked in write(4): pipe full [anon_pipe_write]"),
             QStringLiteral("waiting in waitpid() [do_wait]"),
             QStringLiteral("sleeping in poll_schedule_timeout.constprop.0 [poll_schedule_timeout.constprop.0]")}) {
        QTest::addRow("compact %s", qPrintable(d.left(16))) << compact << d;
        QTest::addRow("wide %s", qPrintable(d.left(16))) << wide << d;
    }
}

void TestSceneItems::stateWrapsNeverTruncates()
{
    QFETCH(QSizeF, size);
    QFETCH(QString, detail);
    ProcessItem item(&m_theme, size);
    ProcessInfo info;
    info.pid = 2913255;
    info.role = "writer 12";
    info.state = ProcessState::Blocked;
    info.detail = detail.toStdString();
    item.update(info, {});
    const QString state = detail.section(QLatin1String(" ["), 0, 0);
    QCOMPARE(item.stateText(), state);
    QVERIFY2(item.stateLine().contains(state), qPrintable(item.stateLine())); // whole, no "..."
    QVERIFY2(item.stateFits(), qPrintable(item.stateLine()));
    // Held with a long call: still whole.
    info.state = ProcessState::Held;
    item.update(info, QStringLiteral("about to write(4, 65536 bytes)"));
    QVERIFY(item.stateLine().endsWith(QStringLiteral("about to write(4, 65536 bytes)")));
    QVERIFY2(item.stateFits(), qPrintable(item.stateLine()));
}

void TestSceneItems::sleepIsNotBlocked()
{
    ProcessItem item(&m_theme, QSizeF(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight));
    ProcessInfo info;
    info.pid = 42;
    info.state = ProcessState::Blocked;
    info.detail = "sleeping (nanosleep) [hrtimer_nanosleep]";
    item.update(info, {}, 50);
    QVERIFY(item.sleeping());
    QCOMPARE(item.stateText(), QStringLiteral("sleeping (nanosleep 50 ms)"));
    info.detail = "sleeping (nanosleep) [do_nanosleep]";
    item.update(info, {}, 0);
    QVERIFY(item.sleeping());
    QCOMPARE(item.stateText(), QStringLiteral("sleeping (nanosleep)"));
    info.detail = "blocked in read(3): pipe empty [anon_pipe_read]";
    item.update(info, {}, 50);
    QVERIFY(!item.sleeping());
    QCOMPARE(item.stateText(), QStringLiteral("blocked in read(3): pipe empty"));
    QVERIFY(m_theme.sleeping != m_theme.blocked && m_theme.sleeping != m_theme.held);
}

void TestSceneItems::fillIsLabelledAsItsBound()
{
    PipeItem pipe(&m_theme, QSizeF(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight));
    PipeInfo info;
    info.inode = 7;
    info.capacity = 65536;
    info.written = 18;
    pipe.update(info, 1, 1, 0);
    QCOMPARE(pipe.fillBound(), PipeItem::Bound::Exact);
    QCOMPARE(pipe.fillText(), QStringLiteral("18 B / 64 KiB"));
    // cat reads it: its reads are not counted, so 18 B is the most it can hold.
    info.externalReader = true;
    pipe.update(info, 0, 0, 0);
    QCOMPARE(pipe.fillBound(), PipeItem::Bound::AtMost);
    QVERIFY2(pipe.fillText().startsWith(QStringLiteral("at most 18 B")), qPrintable(pipe.fillText()));
    QVERIFY(!pipe.fillText().contains(QStringLiteral("at least")));
    // cat writes it: its writes are not counted, so the count is the least it holds.
    info.externalReader = false;
    info.externalWriter = true;
    pipe.update(info, 0, 0, 0);
    QCOMPARE(pipe.fillBound(), PipeItem::Bound::AtLeast);
    QVERIFY2(pipe.fillText().startsWith(QStringLiteral("at least 18 B")), qPrintable(pipe.fillText()));
    info.externalReader = true;
    pipe.update(info, 0, 0, 0);
    QCOMPARE(pipe.fillBound(), PipeItem::Bound::Unknown);
    QVERIFY(pipe.fillText().startsWith(QLatin1Char('?')));
}

void TestSceneItems::badgesOnlyWhileTrue()
{
    PipeItem pipe(&m_theme, QSizeF(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight));
    PipeInfo info;
    info.inode = 9;
    info.capacity = 65536;
    pipe.update(info, 1, 1, 0);
    pipe.flash(QStringLiteral("EAGAIN: empty"), 100000);
    QCOMPARE(pipe.mark(), QStringLiteral("EAGAIN: empty"));
    info.written = 16;
    pipe.update(info, 1, 1, 0);
    QVERIFY2(pipe.mark().isEmpty(), "a pipe holding 16 B is not empty");
    // Flashed late, after the bytes arrived: not true, not shown.
    pipe.flash(QStringLiteral("EAGAIN: empty"), 100000);
    QVERIFY(pipe.mark().isEmpty());
    // Full: true while less than a page is free.
    info.written = 65536;
    pipe.update(info, 1, 1, 0);
    pipe.flash(QStringLiteral("EAGAIN: pipe full"), 100000);
    QCOMPARE(pipe.mark(), QStringLiteral("EAGAIN: pipe full"));
    info.read = 100; // 100 bytes read: still no free page, writes still get EAGAIN
    pipe.update(info, 1, 1, 0);
    QCOMPARE(pipe.mark(), QStringLiteral("EAGAIN: pipe full"));
    info.read = 8192;
    pipe.update(info, 1, 1, 0);
    QVERIFY(pipe.mark().isEmpty());
}

void TestSceneItems::readNeverExceedsWritten()
{
    // A writer blocked in one write(100K) has not been counted yet, its reader already read 64 KiB of it.
    PipeItem pipe(&m_theme, QSizeF(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight));
    PipeInfo info;
    info.inode = 11;
    info.capacity = 65536;
    info.written = 819200;
    info.read = 917504;
    pipe.update(info, 1, 1, 0);
    QVERIFY(pipe.shownRead() <= pipe.shownWritten());
    QCOMPARE(pipe.fillText(), QStringLiteral("0 B / 64 KiB"));
}

void TestSceneItems::rateOnlyWhenMeaningful()
{
    RateMeter once;
    once.update(1, 0, 0);
    once.update(1, 16, 40); // one 16-byte transfer
    for (qint64 t = 80; t <= 2000; t += 40)
        QCOMPARE(once.update(1, 16, t), 0.0);
    QCOMPARE(once.rate(1), 0.0);

    RateMeter flow;
    double last = 0;
    for (qint64 t = 0; t <= 1000; t += 40)
        last = flow.update(2, t * 1024, t); // 1 MiB/s, steadily
    QVERIFY2(last > 500 * 1024 && last < 2 * 1024 * 1024, qPrintable(QString::number(last)));
    QCOMPARE(flow.rate(2), last);

    RateMeter brief; // much data, but for less than half a second
    brief.update(3, 0, 0);
    QCOMPARE(brief.update(3, 1 << 20, 100), 0.0);
    QCOMPARE(brief.update(3, 2 << 20, 200), 0.0);
}

void TestSceneItems::chipsKeepClearAndAreCapped()
{
    QGraphicsScene scene;
    ChunkTraffic traffic;
    // From a node's side, along a channel, into a pipe's mouth.
    QPainterPath route;
    route.moveTo(0, 0);
    route.lineTo(75, 0);
    route.lineTo(75, 200);
    route.lineTo(150, 200);
    ChunkTraffic::Spec spec;
    spec.connector = 1;
    spec.preview = QStringLiteral("\"hello from parent\"");
    spec.amount = QStringLiteral("20 B");
    spec.bytes = 20;
    spec.route = route;
    spec.maxWidth = 122;
    for (int i = 0; i < 10; ++i)
        traffic.spawn(&scene, &m_theme, spec, 0, 1000);
    QCOMPARE(traffic.count(1), ChunkTraffic::kPerConnector);
    QCOMPARE(traffic.count(), ChunkTraffic::kPerConnector);
    const std::vector<ChunkItem *> chips = traffic.chunks();
    QCOMPARE(chips.back()->more(), 10 - ChunkTraffic::kPerConnector);
    QVERIFY2(chips.back()->label().contains(QStringLiteral("+7")), qPrintable(chips.back()->label()));
    for (ChunkItem *chip : chips) {
        QVERIFY(chip->label().contains(QStringLiteral("20 B"))); // the amount is never cut
        QVERIFY(chip->boundingRect().width() <= 122 + 0.5 || chip->label() == QStringLiteral("20 B +7"));
        // Neither at the start (the node's side, x <= 0) nor at the end (the pipe's mouth, x >= 150) ...
        for (const QPointF &at : {chip->startPoint(), chip->endPoint()}) {
            const QRectF box = chip->boundingRect().translated(at);
            QVERIFY2(box.left() > 0 && box.right() < 150, qPrintable(QStringLiteral("%1,%2").arg(at.x()).arg(at.y())));
        }
    }
    // ... and on its way, always on the connector.
    for (qint64 t = 0; t <= 1000; t += 50) {
        traffic.advance(t);
        for (ChunkItem *chip : traffic.chunks())
            QVERIFY(route.controlPointRect().adjusted(-0.5, -0.5, 0.5, 0.5).contains(chip->pos()));
    }
    traffic.advance(1001);
    QCOMPARE(traffic.count(), 0);
    // Another connector has its own allowance.
    spec.connector = 2;
    traffic.spawn(&scene, &m_theme, spec, 2000, 1000);
    QCOMPARE(traffic.count(2), 1);
}

QTEST_MAIN(TestSceneItems)
#include "tst_sceneitems.moc"
