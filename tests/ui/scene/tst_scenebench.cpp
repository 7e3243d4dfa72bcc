// What a lecturer sees of speed, measured through the real view at 1920x1080 and
// printed (never asserted: the machine is shared and noisy): a full repaint of the
// 64-process select scene (what zoom, pan, fit and presenter mode cost), the steady
// frame while events stream in (only what changed is repainted), and the time from
// a Step keypress to the syscall's result on screen.
#include "core/run/procprobe.h"
#include "runharness.h"
#include "ui/scene/animationclock.h"
#include "ui/scene/paintmemory.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/sceneview.h"
#include "ui/source/runcontroller.h"
#include "ui/window/mainwindow.h"
#include "uiwait.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <ctime>
#include <vector>

// Under `valgrind --tool=callgrind --instr-atstart=no` only the full repaints are measured, in
// instructions: a count a busy machine does not change (the macros do nothing elsewhere).
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

using namespace pipescope;

namespace
{

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// CPU time of this thread, in ms: unlike the wall clock it does not count the time other
/// programs on a busy machine take from us, so it compares runs made minutes apart.
double cpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// Lets the scene's change notices reach the view and the view paint what they touched.
void flushPaint()
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
}

} // namespace

class TestSceneBench : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void repaint64();
    void stepToPixel();
    void cleanup();
};

void TestSceneBench::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    keepPaintMemoryInHeap(); // as the app's main does
}

void TestSceneBench::cleanup()
{
    QVERIFY2(test::noChildrenLeft(), "a process of the run was left behind");
}

void TestSceneBench::repaint64()
{
    MainWindow window(nullptr);
    window.resize(1920, 1080);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openScenario(QStringLiteral("select"), {QStringLiteral("pipes=64"), QStringLiteral("written=64")}));
    RunController *c = window.controller();
    QVector<Event> recorded;
    connect(c, &RunController::eventsArrived, this, [&](const QVector<Event> &e) { recorded += e; });
    QSignalSpy finished(c, &RunController::runFinished);
    QVERIFY(window.startRun());
    QVERIFY(finished.wait(30000));
    PipeScene *scene = window.scene();
    QCOMPARE(scene->processItemCount(), 65);
    SceneView *view = window.view();
    view->fitAll();
    flushPaint();

    // Full repaint: a change of scale drops every item's device cache, as zoom and fit do.
    std::vector<double> full, fullCpu;
    CALLGRIND_START_INSTRUMENTATION;
    for (int i = 0; i < 21; ++i) {
        const qreal f = i % 2 ? 1 / 1.02 : 1.02;
        view->scale(f, f);
        QElapsedTimer t;
        t.start();
        const double c0 = cpuMs();
        view->viewport()->repaint();
        fullCpu.push_back(cpuMs() - c0);
        full.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    CALLGRIND_STOP_INSTRUMENTATION;
    // The same without item caches: what painting itself costs, against painting into caches and blitting.
    std::vector<double> uncached;
    if (qEnvironmentVariableIsSet("PIPESCOPE_BENCH_NOCACHE")) {
        QHash<QGraphicsItem *, QGraphicsItem::CacheMode> modes;
        for (QGraphicsItem *item : scene->items()) {
            modes.insert(item, item->cacheMode());
            item->setCacheMode(QGraphicsItem::NoCache);
        }
        for (int i = 0; i < 21; ++i) {
            const qreal f = i % 2 ? 1 / 1.02 : 1.02;
            view->scale(f, f);
            QElapsedTimer t;
            t.start();
            view->viewport()->repaint();
            uncached.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        for (auto it = modes.cbegin(); it != modes.cend(); ++it)
            it.key()->setCacheMode(it.value());
        qInfo("full repaint without item caches: %.2f ms", median(uncached));
    }
    // Pan: the same scale, moved; cached items are only blitted.
    std::vector<double> pan;
    for (int i = 0; i < 21; ++i) {
        view->translate(i % 2 ? -40 : 40, 0);
        QElapsedTimer t;
        t.start();
        view->viewport()->repaint();
        pan.push_back(double(t.nsecsElapsed()) / 1e6);
    }

    // Steady: the run's data events stream back in, a batch per frame; the view repaints what changed.
    QVector<Event> data;
    for (const Event &e : std::as_const(recorded))
        if ((e.kind == EventKind::Write || e.kind == EventKind::Read || e.kind == EventKind::Select) && e.result > 0)
            data.push_back(e);
    QVERIFY(data.size() >= 64);
    std::vector<double> steady, steadyCpu;
    int next = 0;
    for (int f = 0; f < 60; ++f) {
        const QVector<Event> batch = data.mid(next, 8);
        next = (next + 8) % int(data.size());
        QElapsedTimer t;
        t.start();
        const double c0 = cpuMs();
        scene->applyEvents(batch, c->state());
        scene->advance(scene->clock()->now());
        flushPaint();
        steadyCpu.push_back(cpuMs() - c0);
        steady.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    qInfo("64-process select scene at 1920x1080, median ms (wall / CPU of the GUI thread): full repaint %.2f / "
          "%.2f, pan %.2f, steady frame %.2f / %.2f (goals: 16 and 8)",
        median(full), median(fullCpu), median(pan), median(steady), median(steadyCpu));
    QVERIFY(scene->chunkItemCount() > 0);
}

void TestSceneBench::stepToPixel()
{
    MainWindow window(nullptr);
    window.resize(1920, 1080);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openScenario(QStringLiteral("large-transfer"), {QStringLiteral("total=64K")}));
    RunController *c = window.controller();
    QVERIFY(window.startRun(true)); // held at the first gate
    QVERIFY(test::waitUntil(
        [&] {
            for (const ProcessInfo &p : c->state().processes())
                if (p.state == ProcessState::Held)
                    return true;
            return false;
        },
        c, &RunController::eventsArrived, 10000));
    flushPaint();

    // Right = Step, as the lecturer presses it: until the syscall's own event is on screen.
    std::vector<double> times;
    for (int i = 0; i < 15 && c->phase() == RunController::Phase::Paused; ++i) {
        bool done = false;
        const auto conn = connect(c, &RunController::eventsArrived, this, [&](const QVector<Event> &events) {
            for (const Event &e : events)
                done |= e.kind != EventKind::GateWait && e.kind != EventKind::Blocked && e.kind != EventKind::Woken
                    && e.kind != EventKind::Note;
        });
        QElapsedTimer t;
        t.start();
        QTest::keyClick(window.view(), Qt::Key_Right);
        const bool seen = test::waitUntil([&] { return done; }, c, &RunController::eventsArrived, 5000);
        flushPaint();
        const double ms = double(t.nsecsElapsed()) / 1e6;
        disconnect(conn);
        if (!seen)
            break; // every process asleep in the kernel: nothing more to step
        times.push_back(ms);
    }
    QVERIFY(!times.empty());
    qInfo("Step keypress to the syscall's result painted: median %.2f ms, worst %.2f ms over %d steps (goal: 50)",
        median(times), *std::max_element(times.begin(), times.end()), int(times.size()));
    c->stop();
}

QTEST_MAIN(TestSceneBench)
#include "tst_scenebench.moc"
