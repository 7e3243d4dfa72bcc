// The fd cards beside the nodes against real runs: what a card lists is what
// /proc says that very moment, the ends a correct program would have closed
// are flagged on the process that holds them, a reader's card says whether
// EOF can come, and turning the cards off gives the old layout back. Set
// PIPESCOPE_SHOT_DIR to keep a PNG of each scene.
#include "core/run/procprobe.h"
#include "runharness.h"
#include "ui/lessons/helpoverlay.h"
#include "ui/lessons/nodefdtables.h"
#include "ui/scene/fdcarditem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/scene/scenelayout.h"
#include "ui/source/runcontroller.h"
#include "ui/window/mainwindow.h"
#include "uiwait.h"
#include "warmup.h"

#include <QAction>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

#include <set>

#include <sys/wait.h>

using namespace pipescope;

namespace
{

/// A scene and a controller wired as the main window wires them, with their own fd cards.
struct Stage {
    RunController controller;
    PipeScene scene;
    NodeFdTables tables {&scene, &controller};

    Stage()
    {
        QObject::connect(&controller, &RunController::runStarted, &scene, [this] { scene.clearRun(); });
        QObject::connect(&controller, &RunController::runReset, &scene, [this] { scene.clearRun(); });
        QObject::connect(&controller, &RunController::eventsArrived, &scene,
            [this](const QVector<Event> &events) { scene.applyEvents(events, controller.state()); });
        QObject::connect(
            &controller, &RunController::countersSampled, &scene, [this] { scene.applyCounters(controller.state()); });
    }

    int pidOf(const std::string &role) const
    {
        for (const ProcessInfo &p : controller.state().processes())
            if (p.role == role)
                return p.pid;
        return 0;
    }
    bool blocked(const std::string &role) const
    {
        const ProcessInfo *p = controller.state().process(pidOf(role));
        return p && p->state == ProcessState::Blocked;
    }
    bool waitUntil(const std::function<bool()> &condition, int ms = 10000)
    {
        return test::waitUntil(condition, &controller, &RunController::eventsArrived, ms);
    }
    void save(const QString &name)
    {
        const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR");
        QImage image(1600, 900, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        scene.render(&painter); // paints every card too, so a bad paint shows up here
        painter.end();
        if (!dir.isEmpty())
            image.save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + name);
    }
};

const FdCardItem::Line *lineOf(const FdCardItem *card, std::uint64_t inode, bool writeEnd)
{
    for (const FdCardItem::Line &l : card->lines())
        if (l.pipeInode == inode && l.writeEnd == writeEnd)
            return &l;
    return nullptr;
}

/// The card lists exactly the kernel's pipe ends of pid (fd and inode), read right now.
void compareWithKernel(const FdCardItem *card, int pid)
{
    std::set<std::pair<int, std::uint64_t>> kernel, shown;
    for (const FdEntry &e : ProcProbe::fdTable(pid))
        if (e.pipeInode && e.fd != FdAnnotator::kTelemetryFd)
            kernel.insert({e.fd, e.pipeInode});
    for (const FdCardItem::Line &l : card->lines()) {
        for (const int fd : l.fds)
            if (l.pipeInode)
                shown.insert({fd, l.pipeInode});
        if (!l.inode.isEmpty())
            QCOMPARE(l.inode, QStringLiteral("pipe:[%1]").arg(l.pipeInode));
        QVERIFY2(!l.fds.contains(FdAnnotator::kTelemetryFd), "PipeScope's own fd is hidden");
    }
    QVERIFY(card->moreCount() == 0);
    QVERIFY(kernel == shown);
}

void checkLayout(const PipeScene &scene, int processes, bool cards)
{
    const SceneLayout &l = scene.layout();
    QVERIFY(!l.hasOverlaps());
    QCOMPARE(l.annexes.size(), cards ? processes : 0);
    int found = 0;
    for (QGraphicsItem *item : scene.items())
        found += qgraphicsitem_cast<FdCardItem *>(item) ? 1 : 0;
    QCOMPARE(found, cards ? processes : 0);
    for (int i = 0; i < l.annexes.size(); ++i)
        QVERIFY(l.annexes[i].top() > l.nodes[i].bottom());
}

} // namespace

class TestNodeFdTables : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        test::warmUpMainWindow();
        // The cards' fonts too.
        Stage warm;
        warm.tables.setShown(true);
        warm.save(QStringLiteral("warm.png"));
    }

    void forgottenWriteEndOnTheParentsCard()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            Stage s;
            s.tables.setShown(true);
            QString error;
            QVERIFY2(s.controller.start(
                         QStringLiteral("no-close-eof"), {QStringLiteral("watchdog-ms=8000")}, 0, false, &error),
                qPrintable(error));
            // The hang as the kernel shows it: the child asleep in read (its own write end closed),
            // the parent in waitpid still holding its write end.
            QVERIFY(s.waitUntil([&] {
                const ProcessInfo *c = s.controller.state().process(s.pidOf("child"));
                return s.blocked("child") && s.blocked("parent") && c && c->fds.size() == 1;
            }));
            const int parent = s.pidOf("parent"), child = s.pidOf("child");
            s.tables.refresh();
            FdCardItem *pc = s.scene.fdCard(parent), *cc = s.scene.fdCard(child);
            QVERIFY(pc && cc);
            compareWithKernel(pc, parent);
            compareWithKernel(cc, child);
            const std::uint64_t inode = s.controller.state().pipes().front().inode;
            const FdCardItem::Line *w = lineOf(pc, inode, true);
            QVERIFY2(w, "the parent still holds its write end");
            QVERIFY(w->shouldClose);
            QVERIFY2(w->status.contains(QStringLiteral("close")), qPrintable(w->status));
            QVERIFY2(w->text.contains(QStringLiteral("pipe 1 write")), qPrintable(w->text));
            QCOMPARE(&pc->lines().front(), w); // ends to close come first
            QVERIFY(!lineOf(pc, inode, false)); // it did close its read end
            const FdCardItem::Line *r = lineOf(cc, inode, false);
            QVERIFY(r && !r->shouldClose);
            QCOMPARE(r->status, QStringLiteral("EOF: no, 1 writer"));
            // That count is the kernel's: the pipe's write ends in both processes' /proc tables.
            int writers = 0;
            for (int pid : {parent, child}) {
                for (const FdEntry &e : ProcProbe::fdTable(pid))
                    writers += e.pipeInode == inode && e.writeEnd ? 1 : 0;
            }
            QCOMPARE(writers, 1);
            QVERIFY(!lineOf(cc, inode, true));
            checkLayout(s.scene, 2, true);
            QCOMPARE(s.scene.processItem(parent)->boundingRect().width(), SceneLayout::kAnnexNodeWidth + 12);
            s.save(QStringLiteral("nodefd-no-close-eof.png"));

            // The timer keeps them live at about 2 Hz while shown.
            QSignalSpy spy(&s.tables, &NodeFdTables::refreshed);
            QVERIFY(spy.wait(3 * NodeFdTables::kIntervalMs));

            // Off: no card is left and the old layout is back.
            s.tables.setShown(false);
            QVERIFY(!s.scene.fdCard(parent));
            checkLayout(s.scene, 2, false);
            QCOMPARE(s.scene.layout().nodeSize, QSizeF(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight));
            s.tables.setShown(true);
            QVERIFY(s.scene.fdCard(parent));
            checkLayout(s.scene, 2, true);

            // When the run ends the kernel has closed every fd, and the cards say so.
            s.controller.stop();
            QVERIFY(s.controller.state().finished());
            QVERIFY(s.scene.fdCard(parent)->exited());
            QVERIFY(s.scene.fdCard(child)->exited());
            QVERIFY(s.scene.fdCard(child)->lines().isEmpty());
            s.controller.reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void nonBlockingReadEnd()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            Stage s;
            s.tables.setShown(true);
            QString error;
            // Slow motion: every process waits at its gate between syscalls, so the table holds still.
            QVERIFY2(
                s.controller.start(QStringLiteral("nonblocking"), {QStringLiteral("delay-ms=2000")}, 50, false, &error),
                qPrintable(error));
            const RunState &st = s.controller.state();
            bool eagain = false; // the empty pipe answered at once
            QObject::connect(
                &s.controller, &RunController::eventsArrived, &s.tables, [&](const QVector<Event> &events) {
                    for (const Event &e : events)
                        eagain |= e.kind == EventKind::Read && e.isWouldBlock();
                });
            QVERIFY(s.waitUntil([&] { return eagain; }));
            s.controller.pause();
            const int parent = s.pidOf("parent");
            s.tables.refresh();
            const FdCardItem *card = s.scene.fdCard(parent);
            QVERIFY(card);
            compareWithKernel(card, parent);
            const FdCardItem::Line *r = lineOf(card, st.pipes().front().inode, false);
            QVERIFY(r);
            QVERIFY2(r->text.contains(QStringLiteral("O_NONBLOCK")), qPrintable(r->text));
            s.save(QStringLiteral("nodefd-nonblocking.png"));
            s.controller.stop();
            s.controller.reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void leakedIntoTheExecdProgram()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            Stage s;
            s.tables.setShown(true);
            QString error;
            QVERIFY2(s.controller.start(
                         QStringLiteral("fd-leak-exec"), {QStringLiteral("watchdog-ms=8000")}, 0, false, &error),
                qPrintable(error));
            QVERIFY(s.waitUntil([&] { return s.blocked("reader") && s.pidOf("cat") > 0; }));
            const int cat = s.pidOf("cat");
            s.tables.refresh();
            const FdCardItem *card = s.scene.fdCard(cat);
            QVERIFY(card);
            compareWithKernel(card, cat);
            const std::uint64_t data = s.controller.state().pipes().front().inode;
            const FdCardItem::Line *w = lineOf(card, data, true);
            const FdCardItem::Line *r = lineOf(card, data, false);
            QVERIFY2(w && r, "cat inherited both ends through exec");
            QVERIFY(w->shouldClose && r->shouldClose);
            QVERIFY2(r->status.contains(QStringLiteral("leaked through exec")), qPrintable(r->status));
            QVERIFY(card->lines().at(0).shouldClose && card->lines().at(1).shouldClose);
            QVERIFY(!w->text.contains(QStringLiteral("cloexec")));
            checkLayout(s.scene, static_cast<int>(s.controller.state().processes().size()), true);
            s.save(QStringLiteral("nodefd-fd-leak-exec.png"));
            s.controller.stop();
            s.controller.reset();
            QCOMPARE(s.scene.processItemCount(), 0);
            QVERIFY(!s.scene.fdCard(cat)); // a new run starts from an empty stage, cards included
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void theWatchdogKeepsTheLastLiveTables()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            Stage s;
            s.tables.setShown(true);
            QString error;
            QVERIFY2(s.controller.start(
                         QStringLiteral("no-close-eof"), {QStringLiteral("watchdog-ms=1500")}, 0, false, &error),
                qPrintable(error));
            QVERIFY(s.waitUntil([&] { return s.blocked("child") && s.blocked("parent"); }));
            const int parent = s.pidOf("parent"), child = s.pidOf("child");
            s.tables.refresh();
            const std::uint64_t inode = s.controller.state().pipes().front().inode;
            QVERIFY(lineOf(s.scene.fdCard(parent), inode, true));
            // The watchdog stops the hang: the kernel closes every fd and the tree is reaped ...
            QVERIFY(s.waitUntil([&] { return s.controller.state().finished(); }, 20000));
            const ProcessInfo *c = s.controller.state().process(child);
            QVERIFY(c && c->state == ProcessState::Reaped && WIFSIGNALED(c->status));
            // ... and the stage still shows the lesson, as it was when the watchdog stopped it.
            const FdCardItem *pc = s.scene.fdCard(parent);
            QVERIFY(pc->frozen());
            QVERIFY2(pc->title().contains(QStringLiteral("stopped")), qPrintable(pc->title()));
            const FdCardItem::Line *w = lineOf(pc, inode, true);
            QVERIFY2(w && w->shouldClose, "the forgotten write end is still on the parent's card");
            const ProcessItem *node = s.scene.processItem(child);
            QVERIFY2(node->stoppedWhile().contains(QStringLiteral("read")), qPrintable(node->stoppedWhile()));
            QVERIFY2(node->stateText().contains(QStringLiteral("SIGKILL")), qPrintable(node->stateText()));
            s.save(QStringLiteral("nodefd-watchdog.png"));
            s.controller.reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void anExitEmptiesTheCardAtOnce()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            Stage s;
            s.tables.setShown(true);
            // After the cards and the scene have seen a batch: every process that batch saw exit
            // already shows an empty card, without waiting for the next /proc read.
            int exits = 0;
            QObject::connect(&s.controller, &RunController::eventsArrived, &s.scene, [&](const QVector<Event> &batch) {
                for (const Event &e : batch) {
                    if (e.kind != EventKind::Exited && e.kind != EventKind::Reaped)
                        continue;
                    const FdCardItem *card = s.scene.fdCard(e.pid);
                    QVERIFY(card);
                    QVERIFY2(card->exited(), qPrintable(QString::number(e.pid)));
                    ++exits;
                }
            });
            QString error;
            QVERIFY2(s.controller.start(QStringLiteral("parent-child"), {}, 10, false, &error), qPrintable(error));
            QVERIFY(s.waitUntil([&] { return s.controller.state().finished(); }, 20000));
            QVERIFY(exits >= 2); // the child and the parent, each seen exiting
            s.controller.reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void aCloseReachesTheCardBeforeThePeriodicRead()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            Stage s;
            s.tables.setIntervalMs(60000); // only the event-driven read is left
            s.tables.setShown(true);
            QString error;
            // Slow motion, paused the moment the child's close of its write end arrives: it then waits
            // at its next gate, alive, and the only read of /proc still to come is the event-driven one.
            QVERIFY2(s.controller.start(QStringLiteral("parent-child"), {}, 300, false, &error), qPrintable(error));
            Event closed;
            QObject::connect(&s.controller, &RunController::eventsArrived, &s.scene, [&](const QVector<Event> &batch) {
                for (const Event &e : batch) {
                    const ProcessInfo *p = s.controller.state().process(e.pid);
                    if (e.kind == EventKind::Close && e.inode && p && p->role == "child" && closed.pid == 0) {
                        closed = e;
                        s.controller.pause();
                    }
                }
            });
            QVERIFY(s.waitUntil([&] { return closed.pid != 0; }));
            QSignalSpy read(&s.tables, &NodeFdTables::refreshed);
            QVERIFY(read.wait(5000));
            const FdCardItem *card = s.scene.fdCard(closed.pid);
            QVERIFY(card && !card->exited());
            for (const FdCardItem::Line &l : card->lines())
                QVERIFY2(!l.fds.contains(closed.fd), qPrintable(l.text));
            for (const FdEntry &e : ProcProbe::fdTable(closed.pid))
                QVERIFY(e.fd != closed.fd); // and the kernel agrees
            compareWithKernel(card, closed.pid);
            s.controller.reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void manyProcessesDoNotOverlap()
    {
        const auto before = test::ResourceSnapshot::take();
        {
            Stage s;
            QString error;
            QVERIFY2(s.controller.start(QStringLiteral("select"),
                         {QStringLiteral("pipes=16"), QStringLiteral("timeout-ms=4000")}, 0, false, &error),
                qPrintable(error));
            QVERIFY(s.waitUntil([&] { return s.controller.state().finished(); }, 20000));
            const int n = static_cast<int>(s.controller.state().processes().size());
            QCOMPARE(n, 17);
            s.tables.setShown(true);
            checkLayout(s.scene, n, true);
            for (const ProcessInfo &p : s.controller.state().processes())
                QVERIFY(s.scene.fdCard(p.pid)->exited());
            s.tables.setShown(false);
            checkLayout(s.scene, n, false);
            s.controller.reset();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
    }

    void shiftDTogglesThemInTheWindow()
    {
        MainWindow window(nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *action = window.findChild<QAction *>(QStringLiteral("fdCards"));
        QVERIFY(action && action->isCheckable());
        QCOMPARE(action->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_D));
        QVERIFY(!window.fdTables()->isShown());
        QTest::keyClick(&window, Qt::Key_D, Qt::ShiftModifier);
        QVERIFY(window.fdTables()->isShown());
        QVERIFY(action->isChecked());
        QVERIFY(window.scene()->fdCardsShown());
        QTest::keyClick(&window, Qt::Key_D, Qt::ShiftModifier);
        QVERIFY(!window.fdTables()->isShown());
        QVERIFY(!action->isChecked());
        bool listed = false;
        for (const HelpOverlay::Shortcut &s : HelpOverlay::defaultShortcuts())
            listed |= s.keys == QStringLiteral("Shift+D");
        QVERIFY2(listed, "the help overlay lists Shift+D");
        if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty()) {
            window.resize(1920, 1080);
            window.help()->showOverlay();
            window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/nodefd-help.png"));
        }
    }
};

QTEST_MAIN(TestNodeFdTables)
#include "tst_nodefdtables.moc"
