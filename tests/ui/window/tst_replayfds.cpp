// A replay's pids were another run's: the fd cards and the Lesson dock show only the tables its file
// recorded and never read this machine's /proc for them. The test gives a replayed process the pid of
// a live process here (this test itself): reading /proc would show this process's fds.
#include "ui/lessons/fdtablepanel.h"
#include "ui/lessons/lessonpanels.h"
#include "ui/lessons/nodefdtables.h"
#include "ui/scene/fdcarditem.h"
#include "ui/scene/pipescene.h"
#include "ui/source/replaycontroller.h"
#include "ui/window/mainwindow.h"
#include "warmup.h"

#include <QAction>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace pipescope;

class TstReplayFds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }
    void noTableRecordedNoneRead();
};

void TstReplayFds::noTableRecordedNoneRead()
{
    QTemporaryDir dir;
    const QString recorded = dir.filePath(QStringLiteral("parent-child.pipescope"));
    QProcess cli;
    cli.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
        {QStringLiteral("run"), QStringLiteral("parent-child"), QStringLiteral("--record"), recorded});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);

    // Without its fd-table lines (as a version 1 file or a trace has none), and with the child's pid
    // made this process's.
    ReplayController probe;
    QString error;
    QVERIFY2(probe.load(recorded, true, &error), qPrintable(error));
    probe.seek(probe.eventCount());
    int child = 0;
    for (const ProcessInfo &p : probe.state().processes())
        if (p.role == "child")
            child = p.pid;
    QVERIFY(child > 0);
    QFile in(recorded);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QByteArray out;
    const QByteArray me = QByteArray::number(QCoreApplication::applicationPid());
    const QRegularExpression childPid(QStringLiteral("(?<=[:\\[ ,])%1(?=[,}\\] ])").arg(child));
    int fdLines = 0;
    while (!in.atEnd()) {
        QByteArray line = in.readLine();
        if (line.startsWith("{\"fds_t_ns\"")) {
            ++fdLines;
            continue;
        }
        out += QString::fromUtf8(line).replace(childPid, QString::fromLatin1(me)).toUtf8();
    }
    QVERIFY2(fdLines > 0, "the CLI recorded fd tables: the test removes them");
    const QString stripped = dir.filePath(QStringLiteral("no-fds.pipescope"));
    QFile file(stripped);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(out);
    file.close();

    MainWindow window(nullptr);
    window.show();
    QVERIFY2(window.openReplay(stripped, true, &error), qPrintable(error));
    window.fdTables()->setShown(true);
    ReplayController *replay = window.replay();
    const pid_t mine = pid_t(QCoreApplication::applicationPid());
    // Step until the replayed child (with this process's pid) is on stage and alive.
    bool seen = false;
    while (replay->position() < replay->eventCount() && !seen) {
        window.findChild<QAction *>(QStringLiteral("stepAction"))->trigger();
        const ProcessInfo *p = replay->state().process(mine);
        seen = p && p->state != ProcessState::Exited && p->state != ProcessState::Reaped;
    }
    QVERIFY2(seen, "the replayed child never appeared alive");
    window.fdTables()->refresh();
    const FdCardItem *card = window.scene()->fdCard(mine);
    QVERIFY(card);
    QVERIFY2(card->lines().isEmpty(), "the card shows fds this machine's /proc has for the pid");
    QVERIFY(!card->exited());
    QVERIFY2(card->unread().contains(QLatin1String("no fd table recorded")), qPrintable(card->unread()));
    // The Lesson dock's table neither.
    FdTablePanel *panel = window.lessons()->fdTable();
    panel->setProcess(mine);
    QVERIFY2(panel->title().contains(QLatin1String("none recorded")), qPrintable(panel->title()));
    QVERIFY(!panel->title().contains(QLatin1String("live")));
}

QTEST_MAIN(TstReplayFds)
#include "tst_replayfds.moc"
