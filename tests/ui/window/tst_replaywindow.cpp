// A recorded run in the window: the CLI records a real run, the window replays
// it in the same scene, log and lessons, says it is a replay and where it was
// recorded, scrubs backwards and forwards to the same pictures, and File > Save
// run... writes a run that replays with the live run's counters.
#include "ui/lessons/eventlogmodel.h"
#include "ui/lessons/lessonpanels.h"
#include "ui/lessons/nodefdtables.h"
#include "ui/scene/fdcarditem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/source/replaycontroller.h"
#include "ui/window/appoptions.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "ui/window/parametereditor.h"
#include "ui/window/replaybar.h"
#include "ui/window/scenariopicker.h"
#include "uiwait.h"
#include "warmup.h"

#include <QAction>
#include <QProcess>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>

using namespace pipescope;

class TstReplayWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;

    /// The scene as a viewer sees it: which process nodes exist, where, and what they say.
    static QString sceneDump(MainWindow &w)
    {
        QString out;
        for (const ProcessInfo &p : w.source()->state().processes()) {
            const ProcessItem *item = w.scene()->processItem(p.pid);
            out += QStringLiteral("%1 %2 %3 %4 %5;")
                       .arg(p.pid)
                       .arg(item != nullptr)
                       .arg(item ? item->pos().x() : 0)
                       .arg(item ? item->pos().y() : 0)
                       .arg(QString::fromStdString(p.role));
        }
        return out + QStringLiteral(" log %1").arg(w.log()->rowCount());
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::warmUpMainWindow();
        m_file = m_dir.filePath(QStringLiteral("parent-child.pipescope"));
        QProcess cli;
        cli.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
            {QStringLiteral("run"), QStringLiteral("parent-child"), QStringLiteral("--record"), m_file});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
    }

    void optionsCheckTheFileUpFront()
    {
        QString error;
        const auto ok = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--replay"), m_file}, &error);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(ok->replay, m_file);
        const QString foreign = m_dir.filePath(QStringLiteral("foreign.json"));
        QFile f(foreign);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"a\": 1}\n");
        f.close();
        QVERIFY(!AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--replay"), foreign}, &error));
        QVERIFY2(error.contains(QLatin1String("line 1: not a PipeScope recording")), qPrintable(error));
        QVERIFY(!AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--replay"), m_file,
                                       QStringLiteral("--scenario"), QStringLiteral("simple")},
            &error));
        QVERIFY2(error.contains(QLatin1String("not a replay")), qPrintable(error));
    }

    void replayInTheWindow()
    {
        MainWindow window(nullptr);
        window.show();
        QString error;
        QVERIFY2(window.openReplay(m_file, true, &error), qPrintable(error));
        ReplayController *replay = window.replay();
        QCOMPARE(window.source()->title(), replay->title());
        // Marked as a replay, with the date and the kernel, in the bar and the window's title.
        const QString kernel = QString::fromStdString(replay->recording().header.kernel);
        QVERIFY2(window.replayBar()->isVisible(), "the replay bar is shown");
        QVERIFY(window.replayBar()->origin().startsWith(QLatin1String("REPLAY of parent-child")));
        QVERIFY(window.replayBar()->origin().contains(kernel));
        QVERIFY(window.windowTitle().contains(QLatin1String("replay of parent-child")));
        QVERIFY(window.controls()->status().contains(QLatin1String("recorded on")));
        QCOMPARE(window.picker()->current(), QStringLiteral("parent-child")); // not what was open before

        // Step through, then again from the start: the same pictures at every event.
        QStringList first;
        while (replay->position() < replay->eventCount()) {
            window.findChild<QAction *>(QStringLiteral("stepAction"))->trigger();
            first << sceneDump(window);
        }
        QVERIFY(window.scene()->processItemCount() >= 2);
        QCOMPARE(window.log()->rowCount(), replay->eventCount());
        window.findChild<QAction *>(QStringLiteral("replayStart"))->trigger();
        QCOMPARE(replay->position(), 1);
        QStringList second;
        while (replay->position() < replay->eventCount()) {
            window.findChild<QAction *>(QStringLiteral("stepAction"))->trigger();
            second << sceneDump(window);
        }
        QCOMPARE(second, first);

        // The scrubber and Left move backwards to the picture stepping showed.
        QSlider *scrubber = window.replayBar()->slider();
        QCOMPARE(scrubber->maximum(), replay->eventCount());
        scrubber->setValue(5);
        QCOMPARE(replay->position(), 5);
        QCOMPARE(sceneDump(window), first.at(3)); // first[i] is the picture after event i + 2
        window.findChild<QAction *>(QStringLiteral("replayBack"))->trigger();
        QCOMPARE(replay->position(), 4);
        QCOMPARE(sceneDump(window), first.at(2));
        QCOMPARE(scrubber->value(), 4);
        window.findChild<QAction *>(QStringLiteral("replayEnd"))->trigger();
        QCOMPARE(replay->phase(), EventSource::Phase::Finished);
        QCOMPARE(sceneDump(window), first.last());

        // Saved again, it replays to the same end.
        const QString again = m_dir.filePath(QStringLiteral("again.pipescope"));
        QVERIFY2(window.saveRun(again, &error), qPrintable(error));
        ReplayController other;
        QVERIFY2(other.load(again, true, &error), qPrintable(error));
        other.seek(other.eventCount());
        QCOMPARE(other.state().pipes().size(), replay->state().pipes().size());
        QCOMPARE(other.state().pipes().front().written, replay->state().pipes().front().written);
    }

    void saveLiveRun()
    {
        MainWindow window(nullptr);
        window.show();
        QVERIFY(window.openScenario(QStringLiteral("large-transfer"), {QStringLiteral("total=2M")}));
        window.controls()->setPace(0);
        QSignalSpy finished(window.source(), &EventSource::runFinished);
        QVERIFY(window.startRun(false));
        const QString file = m_dir.filePath(QStringLiteral("live.pipescope"));
        QString error;
        QVERIFY(!window.saveRun(file, &error) || finished.size() == 1); // refused while it runs
        QVERIFY(finished.size() == 1 || finished.wait(30000));
        QVERIFY2(window.saveRun(file, &error), qPrintable(error));
        const std::vector<PipeInfo> live = window.source()->state().pipes();
        ReplayController replay;
        QVERIFY2(replay.load(file, true, &error), qPrintable(error));
        replay.seek(replay.eventCount());
        QCOMPARE(replay.state().pipes().size(), live.size());
        QCOMPARE(replay.state().pipes().front().written, qint64 {2} << 20);
        QCOMPARE(replay.state().pipes().front().read, live.front().read);
        QCOMPARE(replay.recording().header.name, std::string("large-transfer"));
    }

    /// Save run writes the run as it ran: the parameters it started with (not the editor's
    /// later ones), its counter samples (bounded, not only the final one), and the /proc fd
    /// tables read while it ran, which the replay's fd cards then show.
    void saveKeepsWhatTheRunHad()
    {
        MainWindow window(nullptr);
        window.show();
        // About 0.7 s: 32 reads of 64 KiB, 20 ms apart, so several samples and fd tables are taken.
        QVERIFY(window.openScenario(QStringLiteral("large-transfer"),
            {QStringLiteral("total=2M"), QStringLiteral("chunk=64K"), QStringLiteral("reader-delay-ms=20")}));
        window.controls()->setPace(0);
        QSignalSpy finished(window.source(), &EventSource::runFinished);
        QVERIFY(window.startRun(false));
        QVERIFY(finished.wait(30000));
        std::uint64_t inode = 0;
        pid_t parent = 0;
        for (const ProcessInfo &p : window.source()->state().processes())
            parent = p.role == "parent" ? p.pid : parent;
        inode = window.source()->state().pipes().front().inode;
        QVERIFY(parent > 0 && inode > 0);
        // The editor moves on before the run is saved.
        QVERIFY(window.parameters()->setValue(QStringLiteral("total"), QStringLiteral("4M")));
        const QString file = m_dir.filePath(QStringLiteral("as-it-ran.pipescope"));
        QString error;
        QVERIFY2(window.saveRun(file, &error), qPrintable(error));

        ReplayController replay;
        QVERIFY2(replay.load(file, true, &error), qPrintable(error));
        const Recording &r = replay.recording();
        QCOMPARE(r.header.version, RecordingHeader::kVersion);
        QString total;
        for (const auto &[key, value] : r.header.params)
            total = key == "total" ? QString::fromStdString(value) : total;
        QVERIFY2(total == QStringLiteral("2M") || total == QStringLiteral("2097152"), qPrintable(total));
        int samples = 0;
        int fdLines = 0;
        bool pipeInParent = false;
        for (const Recording::Step &s : r.steps) {
            samples += s.isSample;
            fdLines += s.isFds;
            for (const FdSnapshot::Table &t : s.fds.tables) {
                for (const FdEntry &e : t.fds)
                    pipeInParent |= t.pid == parent && e.pipeInode == inode && e.writeEnd;
            }
        }
        // 10 a second at most, and only when a counter moved: more than the final one, far fewer than reads.
        QVERIFY2(samples >= 3 && samples <= 30, qPrintable(QString::number(samples)));
        QVERIFY2(fdLines >= 1, "no fd tables recorded");
        QVERIFY2(pipeInParent, "the parent's write end is in a recorded table");

        // The replay's fd cards show the recorded tables, not this machine's /proc.
        QVERIFY2(window.openReplay(file, true, &error), qPrintable(error));
        window.fdTables()->setShown(true);
        ReplayController *shown = window.replay();
        const QString pipeName = QStringLiteral("pipe:[%1]").arg(inode);
        bool cardShowsPipe = false;
        for (int n = 1; n <= shown->eventCount() && !cardShowsPipe; ++n) {
            shown->seek(n);
            if (!shown->fdTables())
                continue;
            window.fdTables()->refresh();
            if (const FdCardItem *card = window.scene()->fdCard(parent)) {
                for (const FdCardItem::Line &l : card->lines())
                    cardShowsPipe |= l.inode == pipeName || l.text.contains(pipeName);
            }
        }
        QVERIFY2(cardShowsPipe, qPrintable(pipeName));
    }
};

QTEST_MAIN(TstReplayWindow)
#include "tst_replaywindow.moc"
