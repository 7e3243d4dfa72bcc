// The visualizer driving real runs offscreen: scene and counters against the
// core's figures, stepping, Stop, the parameter editor, and frame time.
#include "core/model/eventformat.h"
#include "core/model/sharedstate.h"
#include "core/run/procprobe.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "runharness.h"
#include "ui/lessons/counterspanel.h"
#include "ui/lessons/eventlogmodel.h"
#include "ui/scene/animationclock.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/scene/units.h"
#include "ui/source/runcontroller.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "ui/window/parametereditor.h"
#include "uiwait.h"

#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>

#include <signal.h>

using namespace pipescope;

namespace
{

bool gated(EventKind k)
{
    switch (k) {
    case EventKind::PipeCreated:
    case EventKind::SetPipeSize:
    case EventKind::Fork:
    case EventKind::Write:
    case EventKind::Read:
    case EventKind::Close:
    case EventKind::Dup2:
    case EventKind::Select:
    case EventKind::Wait:
    case EventKind::Exec: return true;
    default: return false;
    }
}

bool allLiveHeld(const RunState &s)
{
    bool any = false;
    for (const ProcessInfo &p : s.processes()) {
        if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped)
            continue;
        if (p.state != ProcessState::Held)
            return false;
        any = true;
    }
    return any;
}

} // namespace

class TestVisualizer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scenarios_data();
    void scenarios();
    void stepping();
    void stopMidTransfer();
    void parameterEditorRefuses();
    void frameTime64();
    void cleanup();

private:
    int m_fdsAtStart = 0;
};

void TestVisualizer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    {
        // Fonts, the platform plugin and the like open their fds on first use: not a leak.
        MainWindow warmUp(nullptr);
        warmUp.show();
        QVERIFY(QTest::qWaitForWindowExposed(&warmUp));
    }
    m_fdsAtStart = ProcProbe::countOpenFds();
}

void TestVisualizer::cleanup()
{
    QVERIFY2(test::noChildrenLeft(), "a process of the run was left behind");
}

void TestVisualizer::scenarios_data()
{
    QTest::addColumn<QString>("name");
    for (const Scenario *s : ScenarioCatalog::all())
        QTest::newRow(std::string(s->name()).c_str()) << QString::fromUtf8(s->name().data(), s->name().size());
}

void TestVisualizer::scenarios()
{
    QFETCH(QString, name);
    const int fdsBefore = ProcProbe::countOpenFds();
    {
        MainWindow window(nullptr);
        window.resize(1600, 900);
        window.show();
        QVERIFY(window.openScenario(name));
        QSignalSpy finished(window.controller(), &RunController::runFinished);
        QVERIFY(window.startRun());
        QVERIFY(finished.wait(60000));
        const RunState &state = window.controller()->state();

        // The same scenario run by the core alone, without any GUI.
        test::RunHarness harness;
        RunRequest request;
        request.scenario = name.toStdString();
        QVERIFY(harness.start(request));
        QVERIFY(harness.finish(60000));
        // Pitfall scenarios end by design in failure or the watchdog: the same way both times.
        QCOMPARE(finished.at(0).at(0).toInt(), harness.session().outcome());
        harness.release();
        const RunState &core = harness.state();
        // The lessons move a fixed number of bytes; some pitfalls (EPIPE, deadlock) stop wherever the race ends.
        static const QStringList lessons = {QStringLiteral("simple"), QStringLiteral("parent-child"),
            QStringLiteral("bidirectional"), QStringLiteral("subprocess"), QStringLiteral("nonblocking"),
            QStringLiteral("select"), QStringLiteral("large-transfer")};
        const bool fixedBytes = lessons.contains(name);

        QVERIFY(!state.processes().empty());
        QCOMPARE(window.scene()->processItemCount(), int(state.processes().size()));
        QCOMPARE(window.scene()->pipeItemCount(), int(state.pipes().size()));
        QCOMPARE(window.scene()->processItemCount(), int(core.processes().size()));
        QCOMPARE(window.scene()->pipeItemCount(), int(core.pipes().size()));

        // Counters panel: every figure equals the run's (and the core-only run's) figures.
        QTableWidget *pipes = window.counters()->pipeTable();
        QCOMPARE(pipes->rowCount(), int(state.pipes().size()));
        for (int i = 0; i < pipes->rowCount(); ++i) {
            const PipeInfo &p = state.pipes()[std::size_t(i)];
            const PipeInfo &c = core.pipes()[std::size_t(i)];
            // Written as shown never trails read (an unobserved writer's bytes were read: they were written).
            QCOMPARE(
                pipes->item(i, CountersPanel::Written)->data(Qt::UserRole).toLongLong(), std::max(p.written, p.read));
            QCOMPARE(pipes->item(i, CountersPanel::Read)->data(Qt::UserRole).toLongLong(), p.read);
            QCOMPARE(pipes->item(i, CountersPanel::Capacity)->data(Qt::UserRole).toLongLong(), p.capacity);
            QVERIFY(
                pipes->item(i, CountersPanel::Written)->text().startsWith(Units::exact(std::max(p.written, p.read))));
            if (fixedBytes) {
                QCOMPARE(p.written, c.written);
                QCOMPARE(p.read, c.read);
                QCOMPARE(p.capacity, c.capacity);
            }
            PipeItem *item = window.scene()->pipeItem(p.inode);
            QVERIFY(item);
            QCOMPARE(item->inBuffer(), p.inBuffer());
            QVERIFY(item->writeClosed() && item->readClosed()); // everything exited
        }
        QTableWidget *procs = window.counters()->processTable();
        QCOMPARE(procs->rowCount(), int(state.processes().size()));
        for (int i = 0; i < procs->rowCount(); ++i) {
            const ProcessInfo &p = state.processes()[std::size_t(i)];
            const ProcessInfo &c = core.processes()[std::size_t(i)];
            QCOMPARE(procs->item(i, CountersPanel::BytesIn)->data(Qt::UserRole).toLongLong(), p.bytesIn);
            QCOMPARE(procs->item(i, CountersPanel::BytesOut)->data(Qt::UserRole).toLongLong(), p.bytesOut);
            if (fixedBytes) {
                QCOMPARE(p.bytesIn, c.bytesIn);
                QCOMPARE(p.bytesOut, c.bytesOut);
            }
            QCOMPARE(p.role, c.role);
            ProcessItem *item = window.scene()->processItem(p.pid);
            QVERIFY(item);
            QCOMPARE(item->role(), QString::fromStdString(p.role));
            QVERIFY2(item->stateText().contains(QStringLiteral("reaped")), qPrintable(item->stateText()));
            if (p.external)
                QVERIFY(p.program.size() > 0);
        }
        // The summary the CLI prints for this run names every pipe with its figures.
        const QString summary = QString::fromStdString(EventFormat::summary(state));
        for (const PipeInfo &p : state.pipes())
            QVERIFY(summary.contains(QString::number(p.written)));
        QVERIFY(window.log()->rowCount() >= int(state.eventCount() > 0));
        QCOMPARE(quint64(window.log()->rowCount()), state.eventCount());
    }
    QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
}

void TestVisualizer::stepping()
{
    MainWindow window(nullptr);
    window.show();
    QVERIFY(window.openScenario(QStringLiteral("parent-child")));
    RunController *c = window.controller();
    int syscalls = 0;
    std::map<pid_t, Event> lastGate;
    connect(c, &RunController::eventsArrived, this, [&](const QVector<Event> &events) {
        for (const Event &e : events) {
            if (gated(e.kind) && e.pid != 0)
                ++syscalls;
            if (e.kind == EventKind::GateWait)
                lastGate[e.pid] = e;
        }
    });
    QVERIFY(window.startRun(true)); // held at the first gate
    QCOMPARE(c->phase(), RunController::Phase::Paused);
    const auto settled = [&] { return allLiveHeld(c->state()); };
    QVERIFY(test::waitUntil(settled, c, &RunController::eventsArrived, 10000));
    QCOMPARE(syscalls, 0); // nothing has happened yet: the parent waits before pipe2

    const int steps = 5;
    for (int i = 1; i <= steps; ++i) {
        c->step();
        QVERIFY(test::waitUntil([&] { return syscalls >= i && settled(); }, c, &RunController::eventsArrived, 10000));
        QCOMPARE(syscalls, i); // exactly one syscall per step, never two
    }
    QCOMPARE(c->stepsTaken(), steps);
    c->sampleCounters();

    // Every live process is really stopped at its gate, before its next syscall.
    qint64 loggedWritten = 0;
    for (const PipeInfo &p : c->state().pipes())
        loggedWritten += p.written;
    for (const ProcessInfo &p : c->state().processes()) {
        if (p.state != ProcessState::Held)
            continue;
        const auto probe = ProcProbe::probe(p.pid);
        QVERIFY(probe.has_value());
        QVERIFY2(probe->sleeping(), "a held process must be asleep at its gate");
        QVERIFY2(QString::fromStdString(probe->wchan).contains(QStringLiteral("futex")), probe->wchan.c_str());
        const Event &gate = lastGate.at(p.pid);
        ProcessItem *item = window.scene()->processItem(p.pid);
        QVERIFY(item);
        QVERIFY2(
            item->stateText().startsWith(QStringLiteral("held at its gate: about to")), qPrintable(item->stateText()));
        if (gate.pending == EventKind::Write) {
            // Its write has not happened: the pipe holds only what earlier writes put there.
            const PipeInfo *pipe = c->state().pipe(gate.inode ? gate.inode : c->state().pipes().front().inode);
            QVERIFY(pipe);
            QCOMPARE(pipe->written, 0);
            QCOMPARE(pipe->inBuffer(), 0);
        }
    }
    // The shared counters (bumped by the processes themselves after each call) agree with the log.
    qint64 fromEvents = 0;
    for (const ProcessInfo &p : c->state().processes())
        fromEvents += p.bytesOut;
    QCOMPARE(loggedWritten, fromEvents);

    // Finish at full speed so nothing is left.
    QSignalSpy finished(c, &RunController::runFinished);
    c->fullSpeed();
    QVERIFY(finished.wait(10000));
}

void TestVisualizer::stopMidTransfer()
{
    const int fdsBefore = ProcProbe::countOpenFds();
    std::vector<int> pids;
    int runner = -1;
    {
        MainWindow window(nullptr);
        window.show();
        QVERIFY(window.openScenario(
            QStringLiteral("large-transfer"), {QStringLiteral("total=1G"), QStringLiteral("reader-delay-ms=5")}));
        RunController *c = window.controller();
        QVERIFY(window.startRun());
        runner = int(c->runnerPid());
        QVERIFY(runner > 0);
        auto flowing = [&] { return !c->state().pipes().empty() && c->state().pipes().front().read > 0; };
        QVERIFY(test::waitUntil(flowing, c, &RunController::countersSampled, 10000));

        // Counters refresh at >= 20 Hz while data flows.
        const int before = window.counters()->refreshCount();
        QElapsedTimer t;
        t.start();
        QVERIFY(!test::waitUntil([&] { return t.elapsed() >= 600; }, c, &RunController::runFinished, 600)
            || t.elapsed() >= 600);
        const double hz = (window.counters()->refreshCount() - before) * 1000.0 / double(t.elapsed());
        QVERIFY2(hz >= 20, qPrintable(QString::number(hz)));
        QVERIFY(window.counters()->progressBar()->isVisible() || !window.isVisible());
        QVERIFY(window.counters()->progressBar()->format().contains(QStringLiteral("left")));

        for (const ProcessInfo &p : c->state().processes())
            pids.push_back(p.pid);
        QCOMPARE(pids.size(), std::size_t(2));
        const qint64 read = c->state().pipes().front().read;
        QVERIFY(read > 0 && read < (qint64(1) << 30)); // really mid-flight
        QTest::keyClick(&window, Qt::Key_Escape); // Stop, as the lecturer would
        QCOMPARE(c->phase(), RunController::Phase::Finished);
        QCOMPARE(c->runnerPid(), qint64(-1));
        for (const ProcessInfo &p : c->state().processes())
            QVERIFY2(p.state == ProcessState::Reaped || p.state == ProcessState::Exited, p.role.c_str());
    }
    QVERIFY(test::noChildrenLeft());
    QVERIFY(test::processGone(runner));
    for (int pid : pids)
        QVERIFY2(test::processGone(pid), qPrintable(QString::number(pid)));
    QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
}

void TestVisualizer::parameterEditorRefuses()
{
    MainWindow window(nullptr);
    window.show();
    QVERIFY(window.openScenario(QStringLiteral("large-transfer")));
    ParameterEditor *editor = window.parameters();
    QPushButton *run = window.controls()->button(QStringLiteral("run"));
    QVERIFY(editor->isValid());
    QVERIFY(run->isEnabled());
    QVERIFY(!editor->setValue(QStringLiteral("total"), QStringLiteral("2G"))); // max is 1G
    QVERIFY(!editor->isValid());
    QVERIFY(!run->isEnabled());
    QVERIFY(!window.startRun());
    QCOMPARE(window.controller()->phase(), RunController::Phase::Idle);
    // The reason is on screen, beside the field.
    bool shown = false;
    for (QLabel *label : editor->findChildren<QLabel *>())
        shown |= label->isVisibleTo(&window) && label->text().contains(QStringLiteral("refused"));
    QVERIFY(shown);
    QVERIFY(!editor->problem().isEmpty());
    QVERIFY(!editor->setValue(QStringLiteral("total"), QStringLiteral("lots")));
    QVERIFY(!editor->setValue(QStringLiteral("reader-delay-ms"), QStringLiteral("-1")));
    QVERIFY(editor->setValue(QStringLiteral("reader-delay-ms"), QStringLiteral("0")));
    QVERIFY(editor->setValue(QStringLiteral("total"), QStringLiteral("1G")));
    QVERIFY(editor->isValid());
    QVERIFY(run->isEnabled());
    // Each value alone in range, but together refused by the scenario's own check.
    QVERIFY(window.openScenario(QStringLiteral("select")));
    editor->setValue(QStringLiteral("pipes"), QStringLiteral("2"));
    editor->setValue(QStringLiteral("written"), QStringLiteral("5"));
    QVERIFY(!editor->isValid());
    QVERIFY2(editor->problem().contains(QStringLiteral("written")), qPrintable(editor->problem()));
}

void TestVisualizer::frameTime64()
{
    MainWindow window(nullptr);
    window.resize(1920, 1080);
    window.show();
    QVERIFY(window.openScenario(QStringLiteral("select"), {QStringLiteral("pipes=64"), QStringLiteral("written=64")}));
    RunController *c = window.controller();
    QVector<Event> recorded;
    connect(c, &RunController::eventsArrived, this, [&](const QVector<Event> &e) { recorded += e; });
    QSignalSpy finished(c, &RunController::runFinished);
    QVERIFY(window.startRun());
    QVERIFY(finished.wait(30000));
    PipeScene *scene = window.scene();
    QCOMPARE(scene->processItemCount(), 65);
    QCOMPARE(scene->pipeItemCount(), 65);

    // Stream the run's data events back in, a batch per frame, and paint the whole scene.
    QVector<Event> data;
    for (const Event &e : std::as_const(recorded))
        if ((e.kind == EventKind::Write || e.kind == EventKind::Read || e.kind == EventKind::Select) && e.result > 0)
            data.push_back(e);
    QVERIFY(data.size() >= 64);
    QImage frame(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    int next = 0;
    QElapsedTimer total;
    int frames = 0;
    total.start();
    QBENCHMARK
    {
        for (int f = 0; f < 10; ++f) { // ten frames per measurement: one frame is too short to time alone
            const QVector<Event> batch = data.mid(next, 8);
            next = (next + 8) % int(data.size());
            scene->applyEvents(batch, c->state());
            scene->advance(window.scene()->clock()->now());
            QPainter painter(&frame);
            scene->render(&painter, QRectF(frame.rect()), scene->sceneRect());
            ++frames;
        }
    }
    const double ms = double(total.elapsed()) / frames;
    qInfo("frame time, 64-process scene with events streaming in: %.2f ms (%d frames)", ms, frames);
    // A measurement, printed above; unit tests never assert timings (the machine is shared and noisy).
    QVERIFY(scene->chunkItemCount() > 0);
}

QTEST_MAIN(TestVisualizer)
#include "tst_visualizer.moc"
