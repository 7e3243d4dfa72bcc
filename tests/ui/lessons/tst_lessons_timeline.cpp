// The timeline against real runs: every byte each read returned is
// attributed to the writes that put it there, by offset per pipe, and the
// view turns a click on an arrow or a state into that event's index.
#include "core/trace/tracer.h"
#include "runharness.h"
#include "ui/lessons/timelinemodel.h"
#include "ui/lessons/timelineview.h"
#include "ui/scene/theme.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <map>
#include <tuple>

using namespace pipescope;
using Assignments = std::vector<std::pair<std::string, std::string>>;
Q_DECLARE_METATYPE(Assignments)

namespace
{

bool runToEnd(
    test::RunHarness &run, const std::string &scenario, const Assignments &assignments, RunMode mode, int paceMs = 0)
{
    RunRequest request;
    request.scenario = scenario;
    request.assignments = assignments;
    request.mode = mode;
    request.paceMs = paceMs;
    return run.start(request) && run.finish(30000);
}

} // namespace

class TestLessonsTimeline : public QObject
{
    Q_OBJECT
private slots:
    void everyByteAttributed_data();
    void everyByteAttributed();
    void unloggedBytesAreNotGuessed();
    void viewClicksSelectEvents();
    void aTracedChildTakesItsProgramsName();
    void aScenarioChildKeepsItsRole();
};

void TestLessonsTimeline::everyByteAttributed_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<Assignments>("assignments");
    QTest::addColumn<int>("lanes");
    QTest::addColumn<int>("pipes");
    QTest::newRow("parent-child") << QStringLiteral("parent-child") << Assignments {} << 2 << 1;
    QTest::newRow("bidirectional") << QStringLiteral("bidirectional") << Assignments {} << 2 << 2;
    QTest::newRow("large-transfer") << QStringLiteral("large-transfer")
                                    << Assignments {{"total", "48K"}, {"chunk", "1000"}, {"capacity", "4K"}} << 2 << 1;
}

void TestLessonsTimeline::everyByteAttributed()
{
    QFETCH(QString, scenario);
    QFETCH(Assignments, assignments);
    QFETCH(int, lanes);
    QFETCH(int, pipes);
    test::RunHarness run;
    // Paced at 1 ms: every read and write is logged (at full speed only the first 64 are).
    QVERIFY2(runToEnd(run, scenario.toStdString(), assignments, RunMode::Paced, 1), run.error().c_str());
    QCOMPARE(run.state().outcome(), static_cast<int>(OutcomeOk));
    TimelineModel model;
    model.add(run.events());
    QCOMPARE(model.eventCount(), static_cast<int>(run.events().size()));
    QCOMPARE(static_cast<int>(model.lanes().size()), lanes);
    QCOMPARE(static_cast<int>(model.pipes().size()), pipes);

    for (const auto &[inode, bytes] : model.pipes()) {
        const PipeInfo *kernel = run.state().pipe(inode);
        QVERIFY(kernel);
        QVERIFY(!bytes.incomplete);
        QVERIFY(bytes.readLogged > 0);
        QCOMPARE(bytes.writtenLogged, kernel->written); // the shared counters agree with the events
        QCOMPARE(bytes.readLogged, kernel->read);
        QCOMPARE(bytes.attributed, bytes.readLogged);
    }
    // Per event: a read's arrows add up to what it returned, a write's to what it wrote;
    // along a pipe the arrows tile the stream with no gap or overlap.
    std::map<int, std::int64_t> perEvent;
    std::map<std::uint64_t, std::int64_t> nextOffset;
    auto sorted = model.arrows();
    std::sort(sorted.begin(), sorted.end(),
        [](const auto &x, const auto &y) { return std::tie(x.inode, x.offset) < std::tie(y.inode, y.offset); });
    for (const TimelineModel::Arrow &a : sorted) {
        QVERIFY(a.bytes > 0);
        perEvent[a.readEvent] += a.bytes;
        perEvent[a.writeEvent] += a.bytes;
        QCOMPARE(a.offset, nextOffset[a.inode]);
        nextOffset[a.inode] += a.bytes;
        const Event &w = run.events()[static_cast<std::size_t>(a.writeEvent)];
        const Event &r = run.events()[static_cast<std::size_t>(a.readEvent)];
        QCOMPARE(w.kind, EventKind::Write);
        QCOMPARE(r.kind, EventKind::Read);
        QCOMPARE(w.inode, r.inode);
        QCOMPARE(w.pid, a.fromPid);
        QCOMPARE(r.pid, a.toPid);
        QVERIFY2(w.startNs <= r.timeNs, "bytes were read before their write began");
    }
    int reads = 0;
    for (int i = 0; i < static_cast<int>(run.events().size()); ++i) {
        const Event &e = run.events()[static_cast<std::size_t>(i)];
        if ((e.kind == EventKind::Read || e.kind == EventKind::Write) && e.result > 0) {
            QCOMPARE(perEvent[i], e.result);
            reads += e.kind == EventKind::Read;
        }
    }
    QVERIFY(reads >= 1);
    if (scenario == QLatin1String("large-transfer")) {
        // 1000-byte writes into a 4 KiB pipe, read 1000 at a time: 48 KiB is 50 arrows or more.
        QVERIFY(model.arrows().size() >= static_cast<std::size_t>(reads));
        QCOMPARE(nextOffset.begin()->second, std::int64_t {48 * 1024});
    }
    // Lanes: every process ran, and every one was waited for in the end.
    for (const TimelineModel::Lane &lane : model.lanes()) {
        QVERIFY(!lane.intervals.empty());
        QVERIFY(lane.ended);
        bool held = false;
        for (const TimelineModel::Interval &iv : lane.intervals) {
            QVERIFY(iv.endNs >= iv.startNs);
            QVERIFY(iv.eventIndex >= 0 && iv.eventIndex < model.eventCount());
            held |= iv.state == ProcessState::Held;
        }
        QVERIFY2(held, "paced processes wait at their gates");
    }
    run.release();
    QVERIFY(test::noChildrenLeft());
}

void TestLessonsTimeline::unloggedBytesAreNotGuessed()
{
    test::RunHarness run;
    QVERIFY(runToEnd(run, "large-transfer", {{"total", "1M"}}, RunMode::Free));
    TimelineModel model;
    model.add(run.events());
    QCOMPARE(model.pipes().size(), std::size_t {1});
    const TimelineModel::PipeBytes &bytes = model.pipes().begin()->second;
    QVERIFY(bytes.incomplete);
    QVERIFY(bytes.attributed <= bytes.readLogged);
    QVERIFY(bytes.readLogged < 1024 * 1024); // most reads were counted, not logged
    run.release();
}

void TestLessonsTimeline::viewClicksSelectEvents()
{
    test::RunHarness run;
    QVERIFY(runToEnd(run, "bidirectional", {}, RunMode::Paced, 2));
    TimelineModel model;
    model.add(run.events());
    QVERIFY2(model.arrows().size() >= 2, qPrintable(QString::number(model.arrows().size())));
    TimelineView view;
    view.setTheme(Theme::light());
    view.setModel(&model);
    view.resize(1280, view.sizeHint().height());
    QDir().mkpath(QStringLiteral("/tmp/lessons"));
    QVERIFY(view.grab().save(QStringLiteral("/tmp/lessons/timeline-bidirectional.png")));

    QSignalSpy spy(&view, &TimelineView::eventSelected);
    const auto &arrow = model.arrows().back();
    const QPointF mid = view.arrowMidpoint(static_cast<int>(model.arrows().size()) - 1);
    QTest::mouseClick(&view, Qt::LeftButton, {}, mid.toPoint());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), arrow.writeEvent);
    QCOMPARE(view.selectedEvent(), arrow.writeEvent);

    // A state: the child's last interval before it ended.
    const int lane = model.laneOf(arrow.fromPid);
    const auto &intervals = model.lanes()[static_cast<std::size_t>(lane)].intervals;
    int widest = 0;
    for (int i = 1; i < static_cast<int>(intervals.size()); ++i) {
        if (intervals[static_cast<std::size_t>(i)].endNs - intervals[static_cast<std::size_t>(i)].startNs
            > intervals[static_cast<std::size_t>(widest)].endNs - intervals[static_cast<std::size_t>(widest)].startNs)
            widest = i;
    }
    const QPointF centre = view.intervalCentre(lane, widest);
    const int expected = view.eventAt(centre);
    QVERIFY(expected >= 0);
    QTest::mouseClick(&view, Qt::LeftButton, {}, centre.toPoint());
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).toInt(), expected);
    QCOMPARE(view.eventAt(QPointF(5, 5)), -1);

    view.setTheme(Theme::dark());
    QVERIFY(view.grab().save(QStringLiteral("/tmp/lessons/timeline-bidirectional-dark.png")));

    test::RunHarness big;
    QVERIFY(
        runToEnd(big, "large-transfer", {{"total", "16K"}, {"chunk", "1000"}, {"capacity", "4K"}}, RunMode::Paced, 1));
    TimelineModel bigModel;
    bigModel.add(big.events());
    view.setTheme(Theme::light());
    view.setModel(&bigModel);
    QVERIFY(view.grab().save(QStringLiteral("/tmp/lessons/timeline-large-transfer.png")));
    run.release();
    big.release();
}

QTEST_MAIN(TestLessonsTimeline)
/// Traced, a shell's children are all "sh" until they exec: the lane of the one that runs cat
/// says cat, the builtin echo's stays sh (it never execs).
void TestLessonsTimeline::aTracedChildTakesItsProgramsName()
{
    std::vector<Event> events;
    Tracer tracer([&](const Event &e) { events.push_back(e); });
    TraceOptions options;
    options.argv = {"sh", "-c", "echo hi >/dev/null | cat >/dev/null"};
    std::string problem;
    QVERIFY2(tracer.start(options, &problem), problem.c_str());
    const int status = tracer.run();
    QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    TimelineModel model;
    model.add(events);
    QStringList roles;
    for (const TimelineModel::Lane &lane : model.lanes())
        roles << lane.role;
    roles.sort();
    QCOMPARE(roles, (QStringList {QStringLiteral("cat"), QStringLiteral("sh"), QStringLiteral("sh")}));
}

/// A child the scenario named keeps its name after exec: subprocess's child runs cat under its role.
void TestLessonsTimeline::aScenarioChildKeepsItsRole()
{
    test::RunHarness run;
    QVERIFY(runToEnd(run, "subprocess", {}, RunMode::Free));
    TimelineModel model;
    model.add(run.events());
    const auto execs = run.eventsOf(EventKind::Exec);
    QVERIFY(!execs.empty());
    for (const Event &exec : execs) {
        const int lane = model.laneOf(exec.pid);
        QVERIFY(lane >= 0);
        const ProcessInfo *p = run.state().process(exec.pid);
        QVERIFY(p);
        QCOMPARE(model.lanes()[static_cast<std::size_t>(lane)].role, QString::fromStdString(p->role));
    }
}

#include "tst_lessons_timeline.moc"
