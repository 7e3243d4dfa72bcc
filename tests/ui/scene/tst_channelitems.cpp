// The alternatives to a pipe on stage: a real socketpair run drawn as a socket
// pair (its own kind, both ends connected, never called a pipe), a real fifo run
// drawn as a pipe named by its path, and their fds on the cards.
#include "runharness.h"

#include "core/model/runstate.h"
#include "ui/scene/fdannotator.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"

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
