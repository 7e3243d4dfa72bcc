// Scene items on their own: a state line that wraps and is never cut short, a
// nanosleep drawn apart from a wait on a pipe, fills labelled as the bound they
// are, badges only while true, rates only where they mean something, and chips
// that keep clear of the items at both ends of their connector.
#include "core/model/runstate.h"
#include "ui/scene/chunkitem.h"
#include "ui/scene/chunktraffic.h"
#include "ui/scene/fdcarditem.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/processitem.h"
#include "ui/scene/ratemeter.h"
#include "ui/scene/scenelayout.h"
#include "ui/scene/theme.h"

#include <QGraphicsScene>
#include <QTest>

#include <csignal>

using namespace pipescope;

class TestSceneItems : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stateWrapsNeverTruncates_data();
    void stateWrapsNeverTruncates();
    void sleepIsNotBlocked();
    void fillIsLabelledAsItsBound();
    void throughLineFitsANarrowPipe();
    void badgesOnlyWhileTrue();
    void readNeverExceedsWritten();
    void rateOnlyWhenMeaningful();
    void chipsKeepClearAndAreCapped();
    void stoppedKeepsTheLastLiveState();
    void readyOnlyWhileReadable();
    void measuredFillWhileWriterBlocked();

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

void TestSceneItems::throughLineFitsANarrowPipe()
{
    PipeItem pipe(&m_theme, QSizeF(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight));
    PipeInfo info;
    info.inode = 7;
    info.capacity = 65536;
    info.written = info.read = 131072;
    info.eofSeen = true;
    pipe.update(info, 0, 0, 0);
    const QFontMetricsF fm(m_theme.font(m_theme.smallPt, true));
    const QString wide = pipe.throughText(fm, 10000);
    QCOMPARE(wide, QStringLiteral("wrote 128 KiB \u00b7 read 128 KiB \u00b7 EOF"));
    // Narrower than the whole line: every byte written was read, so one number says it, uncut.
    const qreal narrow = fm.horizontalAdvance(wide) - 1;
    QCOMPARE(pipe.throughText(fm, narrow), QStringLiteral("128 KiB through \u00b7 EOF"));
    // Still data in the buffer: both numbers matter, so the line is cut rather than merged.
    info.read = 65536;
    pipe.update(info, 1, 1, 0);
    const QString cut = pipe.throughText(fm, narrow);
    QVERIFY2(cut.startsWith(QStringLiteral("wrote 128 KiB")), qPrintable(cut));
    QVERIFY(fm.horizontalAdvance(cut) <= narrow);
    // Nothing ever written, then EOF (an exec status pipe after a good exec), in a narrow line.
    info.written = info.read = 0;
    pipe.update(info, 0, 0, 0);
    const QString nothing = QStringLiteral("nothing written \u00b7 EOF");
    QCOMPARE(pipe.throughText(fm, 10000), nothing);
    QCOMPARE(pipe.throughText(fm, fm.horizontalAdvance(nothing) - 1), QStringLiteral("wrote 0 B \u00b7 EOF"));
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

    // A summarised chip grows ("+11"): it moves back from both ends by as much as it grew.
    QPainterPath straight;
    straight.moveTo(0, 0);
    straight.lineTo(300, 0);
    spec.connector = 3;
    spec.route = straight;
    spec.preview = QStringLiteral("\"cccccc\"");
    spec.amount = QStringLiteral("12 KiB");
    spec.maxWidth = 280;
    for (int i = 0; i < ChunkTraffic::kPerConnector + 11; ++i)
        traffic.spawn(&scene, &m_theme, spec, 3000, 1000);
    const ChunkItem *grown = traffic.chunks().back();
    QVERIFY2(grown->label().endsWith(QStringLiteral("+11")), qPrintable(grown->label()));
    QVERIFY(grown->isVisible());
    for (const QPointF &at : {grown->startPoint(), grown->endPoint()}) {
        const QRectF box = grown->boundingRect().translated(at);
        QVERIFY2(box.left() > 0 && box.right() < 300,
            qPrintable(QStringLiteral("%1 at %2").arg(grown->label()).arg(at.x())));
    }

    // A connector too short for even the amount: no chip drawn over the node and the pipe it joins.
    QPainterPath stub;
    stub.moveTo(0, 0);
    stub.lineTo(30, 0);
    spec.connector = 4;
    spec.route = stub;
    traffic.spawn(&scene, &m_theme, spec, 3000, 1000);
    QVERIFY(!traffic.chunks().back()->isVisible());
}

void TestSceneItems::stoppedKeepsTheLastLiveState()
{
    // A hung reader, then the watchdog: the node keeps what it was doing beside how it ended.
    ProcessItem item(&m_theme, QSizeF(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight));
    ProcessInfo info;
    info.pid = 77;
    info.role = "child";
    info.state = ProcessState::Blocked;
    info.detail = "blocked in read(3): pipe empty [anon_pipe_read]";
    item.update(info, {});
    item.freezeAsStopped();
    QCOMPARE(item.stoppedWhile(), QStringLiteral("blocked in read(3): pipe empty"));
    info.state = ProcessState::Reaped;
    info.status = SIGKILL; // raw wait status of a process killed by SIGKILL
    item.update(info, {});
    QVERIFY2(item.stateText().contains(QStringLiteral("blocked in read(3): pipe empty")), qPrintable(item.stateText()));
    QVERIFY2(item.stateText().contains(QStringLiteral("SIGKILL")), qPrintable(item.stateText()));
    QVERIFY2(item.stateText().startsWith(QStringLiteral("when stopped")), qPrintable(item.stateText()));
    QVERIFY(item.stateFits());
    // A process that had already exited is not "stopped": its own exit stands alone.
    ProcessItem done(&m_theme, QSizeF(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight));
    info.state = ProcessState::Reaped;
    info.status = 0;
    done.update(info, {});
    done.freezeAsStopped();
    QVERIFY(done.stoppedWhile().isEmpty());

    // The fd card keeps the table read last, titled as the moment it was stopped.
    FdCardItem card(&m_theme, nullptr);
    card.setGeometry(QSizeF(SceneLayout::kAnnexNodeWidth, 300), SceneLayout::kAnnexLines, 26);
    FdAnnotator::Row row;
    row.entry.fd = 3;
    row.entry.target = "pipe:[1234]";
    row.entry.pipeInode = 1234;
    row.entry.readEnd = true;
    row.what = QStringLiteral("pipe 1 (inode 1234): read end");
    row.flags = QStringLiteral("-");
    card.setRows({row});
    const int shown = card.lines().size();
    QVERIFY(shown > 0);
    card.freezeAsStopped();
    QVERIFY(card.frozen());
    QVERIFY2(card.title().contains(QStringLiteral("stopped")), qPrintable(card.title()));
    card.setExited(); // the kill that follows
    card.setRows({}); // and a later read of /proc
    QVERIFY(!card.exited());
    QCOMPARE(card.lines().size(), shown);
}

void TestSceneItems::readyOnlyWhileReadable()
{
    PipeItem pipe(&m_theme, QSizeF(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight));
    PipeInfo info;
    info.inode = 9;
    info.capacity = 65536;
    info.written = 6;
    pipe.update(info, 1, 1, 0);
    pipe.markReady();
    QVERIFY(pipe.readyMarked());
    info.read = 6; // the reader took what select promised; the writer is still there
    pipe.update(info, 1, 1, 0);
    QVERIFY(!pipe.readyMarked());
    // Drained before it was drawn: select's answer is flashed, not kept.
    pipe.markReady();
    QVERIFY(!pipe.readyMarked());
    // Every writer gone: a read returns EOF at once, which is what "ready" says.
    pipe.update(info, 0, 1, 0);
    pipe.markReady();
    QVERIFY(pipe.readyMarked());
}

void TestSceneItems::measuredFillWhileWriterBlocked()
{
    // epipe at pace 150: the writer sleeps in write() with 61,440 counted, while its write
    // has already put 4 KiB more in: FIONREAD says 65,536, and the scene says so too.
    RunState state;
    Event pipe;
    pipe.kind = EventKind::PipeCreated;
    pipe.pid = 10;
    pipe.fd = 3;
    pipe.fd2 = 4;
    pipe.inode = pipe.inode2 = 555;
    pipe.requested = 65536;
    pipe.setText("start signal");
    Event started;
    started.kind = EventKind::ProcessStarted;
    started.pid = 10;
    state.apply(started);
    state.apply(pipe);
    Event write;
    write.kind = EventKind::Write;
    write.pid = 10;
    write.fd = 4;
    write.inode = 555;
    write.requested = write.result = 61440;
    state.apply(write);
    Event blocked;
    blocked.kind = EventKind::Blocked;
    blocked.pid = 10;
    blocked.fd = 4;
    blocked.inode = 555;
    blocked.result = 65536;
    blocked.setText("blocked in write(4): pipe full [pipe_write]");
    state.apply(blocked);
    const PipeInfo *p = state.pipe(555);
    QVERIFY(p);
    QCOMPARE(p->purpose, std::string("start signal"));
    QVERIFY(p->fillMeasured());
    QCOMPARE(p->inBuffer(), 65536);
    PipeItem item(&m_theme, QSizeF(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight));
    item.update(*p, 1, 1, 0);
    QCOMPARE(item.fillText(), QStringLiteral("64 KiB / 64 KiB"));
    QCOMPARE(item.purpose(), QStringLiteral("start signal"));
    // Once the counters move the measurement is old news: back to written - read.
    Event read = write;
    read.kind = EventKind::Read;
    read.fd = 3;
    read.requested = read.result = 4096;
    state.apply(read);
    QVERIFY(!state.pipe(555)->fillMeasured());
    QCOMPARE(state.pipe(555)->inBuffer(), 61440 - 4096);
    // Measured again, then the writer dies in its write (SIGPIPE): the measurement goes with it.
    state.apply(blocked);
    QVERIFY(state.pipe(555)->fillMeasured());
    Event died;
    died.kind = EventKind::Exited;
    died.pid = 10;
    died.status = SIGPIPE;
    state.apply(died);
    QVERIFY(!state.pipe(555)->fillMeasured());
    QCOMPARE(state.pipe(555)->inBuffer(), 61440 - 4096);
}

QTEST_MAIN(TestSceneItems)
#include "tst_sceneitems.moc"
