// Every scenario, at full speed and in slow motion, with small parameters,
// driven from a real RunController into a PipeScene and a CountersPanel as
// the window wires them; after every batch of events and every counter sample
// the screen must not contradict itself: read <= written per pipe, the buffer
// is written - read when both are exact, a bound is labelled as the bound it
// is, badges are shown only while true, every open connector has an
// arrowhead, state lines fit whole, a nanosleep is
// not drawn as a wait on a pipe, and chips stay off nodes and pipes.
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "runharness.h"
#include "ui/lessons/counterspanel.h"
#include "ui/scene/chunkitem.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
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
    void cleanup() { QVERIFY2(test::noChildrenLeft(), "a process of the run was left behind"); }

private:
    /// Empty when the screen agrees with itself, else what contradicts.
    QString contradiction(const PipeScene &scene, CountersPanel &panel, const RunState &state) const;
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
                return QStringLiteral("chip \"%1\" covers an item").arg(chip->label());
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

QTEST_MAIN(TestSceneInvariants)
#include "tst_sceneinvariants.moc"
