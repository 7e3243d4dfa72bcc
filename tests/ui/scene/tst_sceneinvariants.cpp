// Every scenario, at full speed and in slow motion, with small parameters,
// driven from a real RunController into a PipeScene and a CountersPanel as
// the window wires them; after every batch of events and every counter sample
// the screen must not contradict itself: read <= written per pipe, the buffer
// is written - read when both are exact, a bound is labelled as the bound it
// is, badges are shown only while true, every open connector has an
// arrowhead, state lines fit whole, a nanosleep is
// not drawn as a wait on a pipe, and chips stay off nodes and pipes.
// On a projector (the final state of every scenario, fitted into 1024x640 and 1920x950 stages): text
// large enough to read, every connector in a lane of its own, no two pipes end to end on one row.
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "runharness.h"
#include "ui/lessons/counterspanel.h"
#include "ui/scene/animationclock.h"
#include "ui/scene/chunkitem.h"
#include "ui/scene/fdcarditem.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/scene/sceneview.h"
#include "ui/scene/units.h"
#include "ui/source/runcontroller.h"

#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace pipescope;

namespace
{

/// Small, quick versions of the defaults; pitfalls that hang end by the watchdog soon.
QStringList smallParams(const Scenario &s)
{
    static const std::map<std::string, QString> small = {{"total", QStringLiteral("256K")},
        {"records", QStringLiteral("3")}, {"writers", QStringLiteral("2")}, {"watchdog-ms", QStringLiteral("1200")},
        {"reader-delay-ms", QStringLiteral("60")}, {"delay-ms", QStringLiteral("60")},
        {"zombie-ms", QStringLiteral("200")}, {"timeout-ms", QStringLiteral("400")}, {"pipes", QStringLiteral("2")}};
    QStringList out;
    for (const ParamSpec &p : s.params())
        if (const auto it = small.find(p.name); it != small.end())
            out << QStringLiteral("%1=%2").arg(QString::fromStdString(p.name), it->second);
    return out;
}

} // namespace

class TestSceneInvariants : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyScenario_data();
    void everyScenario();
    void projector_data();
    void projector();
    void viewShapeRelaysOut();
    void cleanup() { QVERIFY2(test::noChildrenLeft(), "a process of the run was left behind"); }

private:
    /// Empty when the screen agrees with itself, else what contradicts.
    QString contradiction(const PipeScene &scene, CountersPanel &panel, const RunState &state) const;
    /// Empty when the scene reads well in view: text large enough (up to 5 processes), every
    /// connector in a lane of its own, no two pipes end to end on one line. Else what does not.
    static QString projectorProblem(const PipeScene &scene, const SceneView &view, int processes);
};

void TestSceneInvariants::everyScenario_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("pace");
    for (const Scenario *s : ScenarioCatalog::all()) {
        const QString name = QString::fromUtf8(s->name().data(), qsizetype(s->name().size()));
        QTest::addRow("%s full speed", qPrintable(name)) << name << 0;
        QTest::addRow("%s paced", qPrintable(name)) << name << 15;
    }
}

QString TestSceneInvariants::contradiction(const PipeScene &scene, CountersPanel &panel, const RunState &state) const
{
    QTableWidget *rows = panel.pipeTable();
    for (int i = 0; i < int(state.pipes().size()); ++i) {
        const PipeInfo &p = state.pipes()[std::size_t(i)];
        const QString name = QStringLiteral("pipe %1: ").arg(i);
        // The counters table.
        if (i < rows->rowCount()) {
            const qint64 written = rows->item(i, CountersPanel::Written)->data(Qt::UserRole).toLongLong();
            const qint64 read = rows->item(i, CountersPanel::Read)->data(Qt::UserRole).toLongLong();
            const QTableWidgetItem *held = rows->item(i, CountersPanel::InBuffer);
            if (read > written)
                return name + QStringLiteral("table says read %1 > written %2").arg(read).arg(written);
            // Exact counts: the buffer is written - read, or, while a writer sleeps on the full pipe,
            // the FIONREAD the runner measured then (its write already put bytes in), labelled so.
            const qint64 shownHeld = held->data(Qt::UserRole).toLongLong();
            if (!p.externalReader && !p.externalWriter && !p.fillMeasured() && shownHeld != written - read)
                return name + QStringLiteral("table's buffer %1 is not written - read").arg(held->text());
            if (p.fillMeasured()
                && (shownHeld != p.measuredFill || shownHeld < written - read || shownHeld > p.capacity
                    || !held->text().contains(QStringLiteral("FIONREAD"))))
                return name
                    + QStringLiteral("table's measured buffer \"%1\" is not FIONREAD's %2 within bounds")
                          .arg(held->text())
                          .arg(p.measuredFill);
            const bool atMost = held->text().contains(QStringLiteral("at most"));
            const bool atLeast = held->text().contains(QStringLiteral("at least"));
            if (atMost != (p.externalReader && !p.externalWriter) || atLeast != (p.externalWriter && !p.externalReader))
                return name + QStringLiteral("table's buffer \"%1\" is not labelled as its bound").arg(held->text());
        }
        // The pipe on the scene.
        const PipeItem *item = scene.pipeItem(p.inode);
        if (!item)
            continue; // counted before its pipe2 event arrived
        if (item->shownRead() > item->shownWritten())
            return name + QStringLiteral("scene says read > written");
        const QString fill = item->fillText();
        if (!p.externalReader && !p.externalWriter) {
            const QString exact = QStringLiteral("%1 / %2").arg(
                Units::bytes(p.fillMeasured() ? p.measuredFill : std::max(p.written, p.read) - p.read),
                Units::bytes(p.capacity));
            if (fill != exact)
                return name + QStringLiteral("scene shows \"%1\", the counters say \"%2\"").arg(fill, exact);
        }
        if (fill.contains(QStringLiteral("at most")) != (p.externalReader && !p.externalWriter)
            || fill.contains(QStringLiteral("at least")) != (p.externalWriter && !p.externalReader))
            return name + QStringLiteral("scene's \"%1\" is not labelled as its bound").arg(fill);
        const qint64 inBuffer = std::max<qint64>(0, p.written - p.read);
        if (item->readyMarked() && inBuffer == 0 && state.openEnds(p.inode, true) > 0)
            return name + QStringLiteral("\"ready\" on an empty pipe whose writers are still there");
        if (item->mark().startsWith(QStringLiteral("EAGAIN: empty")) && inBuffer > 0)
            return name + QStringLiteral("\"EAGAIN: empty\" on a pipe holding %1 bytes").arg(inBuffer);
        if (item->mark().startsWith(QStringLiteral("EAGAIN: pipe full")) && !p.externalReader && !p.externalWriter
            && inBuffer <= p.capacity - 4096)
            return name + QStringLiteral("\"EAGAIN: pipe full\" on a pipe with a free page");
    }
    for (const ProcessInfo &p : state.processes()) {
        const ProcessItem *item = scene.processItem(p.pid);
        if (!item)
            return QStringLiteral("no node for pid %1").arg(p.pid);
        if (!item->stateFits())
            return QStringLiteral("state of pid %1 does not fit: %2").arg(p.pid).arg(item->stateLine());
        const bool napping = p.state == ProcessState::Blocked && p.detail.find("nanosleep") != std::string::npos;
        if (napping != item->sleeping() || (napping && !item->stateLine().contains(QStringLiteral("sleeping"))))
            return QStringLiteral("pid %1 in \"%2\" drawn as \"%3\"")
                .arg(p.pid)
                .arg(QString::fromStdString(p.detail), item->stateLine());
    }
    // Direction: every open connector has an arrowhead (into the write end, out of the read end).
    int open = 0;
    for (const PipeInfo &p : state.pipes())
        if (const PipeItem *item = scene.pipeItem(p.inode))
            for (const PipeItem::Connector &c : item->connectors())
                open += !c.closed && c.path.elementCount() >= 2 ? 1 : 0;
    // Each head is a closed triangle of four points plus the close.
    if (open > 0 && scene.wires().arrows().elementCount() < 4 * open)
        return QStringLiteral("%1 open connectors but only %2 arrow points")
            .arg(open)
            .arg(scene.wires().arrows().elementCount());
    // Chips on connectors only: never over a node or a pipe (2 px of slack for the antialiased edge).
    const SceneLayout &l = scene.layout();
    for (const ChunkItem *chip : scene.chunkItems()) {
        if (!chip->isVisible())
            continue;
        const QRectF box = chip->sceneBoundingRect().adjusted(2, 2, -2, -2);
        for (const QRectF &r : l.nodes + l.pipes)
            if (box.intersects(r))
                return QStringLiteral("chip \"%1\" covers an item (chip %2,%3 %4x%5; item %6,%7 %8x%9)")
                    .arg(chip->label())
                    .arg(box.x())
                    .arg(box.y())
                    .arg(box.width())
                    .arg(box.height())
                    .arg(r.x())
                    .arg(r.y())
                    .arg(r.width())
                    .arg(r.height());
    }
    return {};
}

void TestSceneInvariants::everyScenario()
{
    QFETCH(QString, name);
    QFETCH(int, pace);
    const Scenario *scenario = ScenarioCatalog::find(name.toStdString());
    QVERIFY(scenario);
    RunController controller;
    PipeScene scene;
    CountersPanel panel;
    QString problem;
    int checks = 0;
    auto check = [&] {
        if (!problem.isEmpty())
            return;
        ++checks;
        problem = contradiction(scene, panel, controller.state());
        if (!problem.isEmpty())
            problem = QStringLiteral("after %1 checks: %2").arg(checks).arg(problem);
    };
    // Wired as the main window wires them.
    connect(&controller, &RunController::eventsArrived, this, [&](const QVector<Event> &events) {
        scene.applyEvents(events, controller.state());
        panel.refresh(controller.state());
        check();
    });
    connect(&controller, &RunController::countersSampled, this, [&] {
        scene.applyCounters(controller.state());
        panel.refresh(controller.state());
        check();
    });
    QSignalSpy finished(&controller, &RunController::runFinished);
    QString error;
    QVERIFY2(controller.start(name, smallParams(*scenario), pace, false, &error), qPrintable(error));
    QVERIFY(finished.wait(60000));
    check();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(checks > 1);
    QVERIFY(scene.processItemCount() > 0);
}

void TestSceneInvariants::projector_data()
{
    QTest::addColumn<QString>("name");
    for (const Scenario *s : ScenarioCatalog::all()) {
        const QString name = QString::fromUtf8(s->name().data(), qsizetype(s->name().size()));
        QTest::addRow("%s", qPrintable(name)) << name;
    }
}

QString TestSceneInvariants::projectorProblem(const PipeScene &scene, const SceneView &view, int processes)
{
    // (a) What a student sees: point size * the view's fitted scale * 96/72 pixels.
    const qreal scale = view.transform().m11();
    const qreal pxPerPt = scale * 96.0 / 72.0;
    QString text, lanes, ends; // the first problem of each kind
    if (processes <= 5) {
        for (QGraphicsItem *item : scene.items()) {
            if (const auto *node = qgraphicsitem_cast<const ProcessItem *>(item)) {
                const qreal px = node->statePointSize() * pxPerPt;
                if (px < 11 && text.isEmpty())
                    text = QStringLiteral("state text of pid %1 is %2 px on screen (scale %3)")
                               .arg(node->pid())
                               .arg(px, 0, 'f', 1)
                               .arg(scale, 0, 'f', 3);
            }
            if (const auto *card = qgraphicsitem_cast<const FdCardItem *>(item)) {
                const qreal px = card->rowPointSize() * pxPerPt;
                if (px < 9 && text.isEmpty())
                    text = QStringLiteral("fd card text is %1 px on screen (scale %2)")
                               .arg(px, 0, 'f', 1)
                               .arg(scale, 0, 'f', 3);
            }
        }
    }
    // (b) Each connector in a lane of its own: segments of different connectors never run along one line,
    // and parallel ones stay 6 px apart. The connectors of one pipe end are one bus (they join at its mouth).
    struct Segment {
        QLineF line;
        QString owner;
        qint64 bus;
    };
    QVector<Segment> segments;
    for (QGraphicsItem *item : scene.items()) {
        const auto *pipe = qgraphicsitem_cast<const PipeItem *>(item);
        if (!pipe)
            continue;
        for (const PipeItem::Connector &c : pipe->connectors()) {
            const QString owner
                = QStringLiteral("%1 %2 end").arg(pipe->label(), QLatin1String(c.writeEnd ? "write" : "read"));
            for (int i = 1; i < c.path.elementCount(); ++i)
                segments.push_back({QLineF(c.path.elementAt(i - 1), c.path.elementAt(i)), owner,
                    qint64(pipe->inode()) * 2 + (c.writeEnd ? 1 : 0)});
        }
    }
    for (int i = 0; i < segments.size(); ++i) {
        for (int j = i + 1; j < segments.size(); ++j) {
            const Segment &a = segments[i], &b = segments[j];
            if (a.bus == b.bus)
                continue;
            const bool ah = std::abs(a.line.dy()) < 0.5, bh = std::abs(b.line.dy()) < 0.5;
            const bool av = std::abs(a.line.dx()) < 0.5, bv = std::abs(b.line.dx()) < 0.5;
            qreal apart = 0, overlap = 0;
            if (ah && bh) {
                apart = std::abs(a.line.y1() - b.line.y1());
                overlap = std::min(std::max(a.line.x1(), a.line.x2()), std::max(b.line.x1(), b.line.x2()))
                    - std::max(std::min(a.line.x1(), a.line.x2()), std::min(b.line.x1(), b.line.x2()));
            } else if (av && bv) {
                apart = std::abs(a.line.x1() - b.line.x1());
                overlap = std::min(std::max(a.line.y1(), a.line.y2()), std::max(b.line.y1(), b.line.y2()))
                    - std::max(std::min(a.line.y1(), a.line.y2()), std::min(b.line.y1(), b.line.y2()));
            } else
                continue;
            if (apart < 6 && overlap > 4 && lanes.isEmpty())
                lanes = QStringLiteral("connectors of %1 and %2 share a line for %3 px (%4 px apart) at (%5, %6)")
                            .arg(a.owner, b.owner)
                            .arg(overlap, 0, 'f', 0)
                            .arg(apart, 0, 'f', 0)
                            .arg(a.line.x1(), 0, 'f', 0)
                            .arg(a.line.y1(), 0, 'f', 0);
        }
    }
    // (c) No two pipes end to end on one row: their arrowheads would meet (a bow-tie) and they read as one chain.
    const QVector<QRectF> &pipes = scene.layout().pipes;
    for (int i = 0; i < pipes.size(); ++i)
        for (int j = i + 1; j < pipes.size(); ++j) {
            const QRectF &a = pipes[i], &b = pipes[j];
            const qreal rowOverlap = std::min(a.bottom(), b.bottom()) - std::max(a.top(), b.top());
            const qreal gap = std::max(a.left(), b.left()) - std::min(a.right(), b.right());
            if (rowOverlap > 0 && gap < std::min(a.width(), b.width()) && ends.isEmpty())
                ends = QStringLiteral("pipes %1 and %2 stand end to end, %3 px apart (%4, %5 and %6, %7)")
                           .arg(i)
                           .arg(j)
                           .arg(gap)
                           .arg(a.left())
                           .arg(a.top())
                           .arg(b.left())
                           .arg(b.top());
        }
    QStringList all {text, lanes, ends};
    all.removeAll(QString());
    return all.join(QStringLiteral("; "));
}

void TestSceneInvariants::projector()
{
    QFETCH(QString, name);
    const Scenario *scenario = ScenarioCatalog::find(name.toStdString());
    QVERIFY(scenario);
    RunController controller;
    PipeScene scene;
    scene.setFdCardsShown(true); // as a lecturer shows them (--fd-tables)
    connect(&controller, &RunController::eventsArrived, this,
        [&](const QVector<Event> &events) { scene.applyEvents(events, controller.state()); });
    connect(&controller, &RunController::countersSampled, this, [&] { scene.applyCounters(controller.state()); });
    // The default shape (how many processes and pipes), with short waits so a hang ends soon.
    static const std::map<std::string, QString> quick = {{"watchdog-ms", QStringLiteral("1200")},
        {"reader-delay-ms", QStringLiteral("50")}, {"zombie-ms", QStringLiteral("300")},
        {"delay-ms", QStringLiteral("60")}, {"timeout-ms", QStringLiteral("400")}};
    QStringList params;
    for (const ParamSpec &p : scenario->params())
        if (const auto it = quick.find(p.name); it != quick.end())
            params << QStringLiteral("%1=%2").arg(QString::fromStdString(p.name), it->second);
    QSignalSpy finished(&controller, &RunController::runFinished);
    QString error;
    QVERIFY2(controller.start(name, params, 0, false, &error), qPrintable(error));
    QVERIFY(finished.wait(60000));
    const int processes = int(controller.state().processes().size());
    // The stage of a presenter-mode window at 1024x768, and of a full-HD one.
    for (const QSize size : {QSize(1024, 640), QSize(1920, 950)}) {
        SceneView view;
        view.setScene(&scene);
        connect(&scene, &PipeScene::layoutChanged, &view, &SceneView::sceneBoundsChanged);
        QSignalSpy relaid(&scene, &PipeScene::layoutChanged);
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // The view tells the scene its shape once resizes settle; the scene lays out for it.
        const qreal aspect = qreal(view.viewport()->width()) / view.viewport()->height();
        if (std::abs(scene.viewAspect() - aspect) > 0.02 * aspect)
            QVERIFY(relaid.wait(5000));
        QVERIFY(std::abs(scene.viewAspect() - aspect) <= 0.02 * aspect);
        view.fitAll();
        const QString problem = projectorProblem(scene, view, processes);
        QVERIFY2(problem.isEmpty(),
            qPrintable(QStringLiteral("%1x%2: %3").arg(size.width()).arg(size.height()).arg(problem)));
    }
}

void TestSceneInvariants::viewShapeRelaysOut()
{
    RunController controller;
    PipeScene scene;
    scene.setFdCardsShown(true);
    connect(&controller, &RunController::eventsArrived, this,
        [&](const QVector<Event> &events) { scene.applyEvents(events, controller.state()); });
    QSignalSpy finished(&controller, &RunController::runFinished);
    QString error;
    // Four writers, each with its pipe, around one reader: rows or columns, as the stage suits.
    QVERIFY2(controller.start(QStringLiteral("select"), {QStringLiteral("pipes=4"), QStringLiteral("timeout-ms=400")},
                 0, false, &error),
        qPrintable(error));
    QVERIFY(finished.wait(60000));
    std::map<pid_t, ProcessItem *> items;
    for (const ProcessInfo &p : controller.state().processes())
        items[p.pid] = scene.processItem(p.pid);
    QCOMPARE(items.size(), std::size_t(5));
    QSignalSpy relaid(&scene, &PipeScene::layoutChanged);

    // A wide stage, then a tall one: the picture takes the stage's shape.
    scene.setViewSize(QSizeF(1920, 950));
    const QRectF wide = scene.layout().bounds;
    scene.setViewSize(QSizeF(700, 1000));
    const QRectF tall = scene.layout().bounds;
    QCOMPARE(relaid.count(), 2);
    QVERIFY2(wide.width() / wide.height() > tall.width() / tall.height(),
        qPrintable(QStringLiteral("%1x%2 then %3x%4")
                       .arg(wide.width())
                       .arg(wide.height())
                       .arg(tall.width())
                       .arg(tall.height())));
    // The same items glide there; the lines, drawn where the items end up, wait until they arrive.
    for (const auto &[pid, item] : items)
        QCOMPARE(scene.processItem(pid), item);
    QVERIFY(!scene.wires().isVisible());
    bool arrived = false;
    const qint64 start = scene.clock()->now();
    for (qint64 t = start; t < start + 100000 && !arrived; t += 16)
        arrived = !scene.advance(t);
    QVERIFY(arrived);
    QVERIFY(scene.wires().isVisible());
    for (const ProcessInfo &p : controller.state().processes())
        QCOMPARE(scene.processItem(p.pid)->pos(), scene.layout().nodes[p.index].topLeft());
    // About the same shape again: nothing moves.
    scene.setViewSize(QSizeF(707, 1000));
    QCOMPARE(relaid.count(), 2);

    // A view tells the scene its shape once its resizes settle, not at every step of a dragged edge.
    SceneView view;
    view.setScene(&scene);
    view.resize(1400, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // The settle timer may already have fired while the window was being exposed (a busy machine).
    QVERIFY(relaid.count() == 3 || relaid.wait(5000));
    QCOMPARE(relaid.count(), 3);
    for (const int w : {1000, 900, 800})
        view.resize(w, 1000); // delivered at once, one after the other, as while an edge is dragged
    QVERIFY(relaid.wait(5000));
    QCOMPARE(relaid.count(), 4);
    QCOMPARE(scene.viewAspect(), qreal(view.viewport()->width()) / view.viewport()->height());
}

QTEST_MAIN(TestSceneInvariants)
#include "tst_sceneinvariants.moc"
