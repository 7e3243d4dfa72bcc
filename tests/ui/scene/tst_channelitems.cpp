// The alternatives to a pipe on stage: a real socketpair run drawn as a socket
// pair (its own kind, both ends connected, never called a pipe), a real fifo run
// drawn as a pipe named by its path, and their fds on the cards.
#include "runharness.h"

#include "core/model/runstate.h"
#include "ui/scene/fdannotator.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/socketpainter.h"
#include "ui/scene/units.h"

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace pipescope;

class TestChannelItems : public QObject
{
    Q_OBJECT

private:
    /// Runs a scenario to its end and draws all of it in one scene.
    static bool drawRun(const std::string &name, PipeScene &scene, test::RunHarness &run)
    {
        RunRequest request;
        request.scenario = name;
        if (!run.start(request) || !run.finish(30000))
            return false;
        run.release();
        scene.applyEvents(QVector<Event>(run.events().begin(), run.events().end()), run.state());
        // Painted for real: a socket pair has its own painter.
        QImage image(1200, 800, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        scene.render(&painter);
        return true;
    }

private slots:
    /// Each direction says what was written and what still waits in the socket for a read.
    void socketLineShowsWrittenAndQueued()
    {
        SocketPainter::Look look;
        QCOMPARE(SocketPainter::flowLine(look), QStringLiteral("both ends read and write"));
        look.sent1 = 16; // the parent wrote 16 B into end 1, nobody read them yet
        QCOMPARE(SocketPainter::flowLine(look), QStringLiteral("\u2192 16 B, 16 B queued \u00b7 \u2190 0 B"));
        look.got2 = 16;
        look.sent2 = 15;
        look.got1 = 5;
        QCOMPARE(SocketPainter::flowLine(look), QStringLiteral("\u2192 16 B \u00b7 \u2190 15 B, 10 B queued"));
        look.got1 = 15;
        look.eof2 = true;
        QCOMPARE(SocketPainter::flowLine(look), QStringLiteral("\u2192 16 B, EOF \u00b7 \u2190 15 B"));
        // End 2 drawn on the left: its bytes go rightwards.
        look.flowsRight = false;
        QCOMPARE(SocketPainter::flowLine(look), QStringLiteral("\u2192 15 B \u00b7 \u2190 16 B, EOF"));
    }

    /// A real socketpair run, stopped in the record right after the first write into the pair:
    /// the label counts the bytes the writer's node shows as "out", queued until the other end reads.
    void socketShowsBytesWaitingInIt()
    {
        test::RunHarness run;
        RunRequest request;
        request.scenario = "socketpair";
        QVERIFY(run.start(request) && run.finish(30000));
        run.release();
        RunState state;
        QVector<Event> prefix;
        const Event *write = nullptr;
        for (const Event &e : run.events()) {
            state.apply(e);
            prefix << e;
            if (e.kind == EventKind::Write && e.err == 0 && e.result > 0 && state.pipe(e.inode)) {
                write = &e;
                break;
            }
        }
        QVERIFY(write);
        PipeScene scene;
        scene.applyEvents(prefix, state);
        const PipeInfo *pair = state.pipe(write->inode);
        QVERIFY(pair);
        PipeItem *item = scene.pipeItem(pair->inode);
        QVERIFY(item);
        const ProcessInfo *writer = state.process(write->pid);
        QVERIFY(writer);
        const QString written = Units::bytes(writer->bytesOut);
        const QString line = SocketPainter::flowLine(item->socketLook());
        QVERIFY2(line.contains(QStringLiteral("%1, %1 queued").arg(written)),
            qPrintable(line + QStringLiteral(" / ") + written));
    }

    void socketPairIsItsOwnKind()
    {
        PipeScene scene;
        test::RunHarness run;
        QVERIFY(drawRun("socketpair", scene, run));
        QCOMPARE(run.state().pipes().size(), std::size_t {1});
        const PipeInfo &pair = run.state().pipes().front();
        QCOMPARE(scene.pipeItemCount(), 1);
        PipeItem *item = scene.pipeItem(pair.inode);
        QVERIFY(item);
        QCOMPARE(item->kind(), ChannelKind::Socket);
        QVERIFY2(item->label().startsWith(QStringLiteral("socket pair")), qPrintable(item->label()));
        QVERIFY2(!item->label().contains(QStringLiteral("pipe")), qPrintable(item->label()));
        QVERIFY(item->label().contains(QString::number(pair.inode2)));
        // Parent and child each held one end: a connector on each side of the pair.
        int first = 0, second = 0;
        for (const PipeItem::Connector &c : item->connectors())
            ++(c.writeEnd ? first : second);
        QVERIFY2(first >= 1 && second >= 1, qPrintable(QStringLiteral("%1 / %2").arg(first).arg(second)));
        QVERIFY(item->writeClosed() && item->readClosed()); // everybody has exited

        // An fd card's row for a socket end says socket pair, and when its read sees EOF.
        FdAnnotator annotator;
        FdEntry end;
        end.fd = 3;
        end.target = "socket:[" + std::to_string(pair.inode2) + "]";
        end.socketInode = pair.inode2;
        end.readEnd = end.writeEnd = true;
        const FdAnnotator::Row row = annotator.annotate(1, end, run.state());
        QVERIFY2(row.what.contains(QStringLiteral("socket pair 1")), qPrintable(row.what));
        QVERIFY2(row.what.contains(QStringLiteral("reads and writes")), qPrintable(row.what));
        QVERIFY2(row.eof.startsWith(QStringLiteral("yes")), qPrintable(row.eof));
    }

    void fifoIsAPipeNamedByItsPath()
    {
        PipeScene scene;
        test::RunHarness run;
        QVERIFY(drawRun("fifo", scene, run));
        QCOMPARE(run.state().pipes().size(), std::size_t {1});
        const PipeInfo &fifo = run.state().pipes().front();
        PipeItem *item = scene.pipeItem(fifo.inode);
        QVERIFY(item);
        QCOMPARE(item->kind(), ChannelKind::Fifo);
        QCOMPARE(item->label(), QStringLiteral("fifo ") + QString::fromStdString(fifo.path));
        QVERIFY(item->label().endsWith(QStringLiteral("/fifo")));
        // The writer on one side, the reader on the other, as for any pipe.
        int writers = 0, readers = 0;
        for (const PipeItem::Connector &c : item->connectors())
            ++(c.writeEnd ? writers : readers);
        QVERIFY(writers >= 1 && readers >= 1);
    }
};

QTEST_MAIN(TestChannelItems)
#include "tst_channelitems.moc"
