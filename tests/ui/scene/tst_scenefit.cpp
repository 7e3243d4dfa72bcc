// The picture on a projector is whole: for every scenario, with and without fd cards, the view's
// fitted transform maps every visible item (nodes with their marks and cards, pipes with their
// badges, chips, connectors) inside the viewport: after every batch of a run on the stage of a
// presenter-mode window at 1024x768 (1024x640), after the run, while the items glide to the layout
// of a full-HD stage (1920x950) and once they are there, and back again.
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "runharness.h"
#include "ui/scene/animationclock.h"
#include "ui/scene/chunkitem.h"
#include "ui/scene/fdcarditem.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/scene/sceneview.h"
#include "ui/source/runcontroller.h"

#include <QSignalSpy>
#include <QTest>

using namespace pipescope;

class TestSceneFit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyItemInView_data();
    void everyItemInView();
    void cleanup() { QVERIFY2(test::noChildrenLeft(), "a process of the run was left behind"); }

private:
    /// Empty when every visible item of the view's scene is drawn inside its viewport, else which stick out.
    static QString cutOff(const SceneView &view);
    /// Resizes view to size and waits until the scene has laid out for its shape.
    static bool reshape(SceneView &view, PipeScene &scene, const QSize &size);
};

QString TestSceneFit::cutOff(const SceneView &view)
{
    const QRectF port = QRectF(view.viewport()->rect()).adjusted(-1, -1, 1, 1); // rounding
    const QTransform toView = view.viewportTransform();
    QStringList out;
    for (const QGraphicsItem *item : view.scene()->items()) {
        if (!item->isVisible())
            continue;
        const QRectF drawn = toView.mapRect(item->sceneBoundingRect());
        if (port.contains(drawn))
            continue;
        QString what = QStringLiteral("item of type %1").arg(item->type());
        if (const auto *node = qgraphicsitem_cast<const ProcessItem *>(item))
            what = QStringLiteral("node of pid %1").arg(node->pid());
        else if (const auto *pipe = qgraphicsitem_cast<const PipeItem *>(item))
            what = QStringLiteral("%1 (mark '%2')").arg(pipe->label(), pipe->mark());
        else if (qgraphicsitem_cast<const FdCardItem *>(item))
            what = QStringLiteral("fd card");
        else if (qgraphicsitem_cast<const ChunkItem *>(item))
            what = QStringLiteral("chip");
        out << QStringLiteral("%1 drawn at %2,%3 %4x%5")
                   .arg(what)
                   .arg(drawn.x(), 0, 'f', 0)
                   .arg(drawn.y(), 0, 'f', 0)
                   .arg(drawn.width(), 0, 'f', 0)
                   .arg(drawn.height(), 0, 'f', 0);
    }
    if (out.isEmpty())
        return {};
    return QStringLiteral("in a %1x%2 viewport (scene rect %3,%4 %5x%6): %7")
        .arg(view.viewport()->width())
        .arg(view.viewport()->height())
        .arg(view.sceneRect().x())
        .arg(view.sceneRect().y())
        .arg(view.sceneRect().width())
        .arg(view.sceneRect().height())
        .arg(out.join(QStringLiteral("; ")));
}

bool TestSceneFit::reshape(SceneView &view, PipeScene &scene, const QSize &size)
{
    QSignalSpy relaid(&scene, &PipeScene::layoutChanged);
    view.resize(size);
    const qreal aspect = qreal(view.viewport()->width()) / view.viewport()->height();
    // The view tells the scene its shape once resizes settle; the scene lays out for it.
    if (std::abs(scene.viewAspect() - aspect) > 0.02 * aspect && !relaid.wait(5000))
        return false;
    return std::abs(scene.viewAspect() - aspect) <= 0.02 * aspect;
}

void TestSceneFit::everyItemInView_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("fdCards");
    for (const Scenario *s : ScenarioCatalog::all()) {
        const QString name = QString::fromUtf8(s->name().data(), qsizetype(s->name().size()));
        QTest::addRow("%s", qPrintable(name)) << name << false;
        QTest::addRow("%s fd cards", qPrintable(name)) << name << true;
    }
}

void TestSceneFit::everyItemInView()
{
    QFETCH(QString, name);
    QFETCH(bool, fdCards);
    const Scenario *scenario = ScenarioCatalog::find(name.toStdString());
    QVERIFY(scenario);
    const QSize small(1024, 640), large(1920, 950);
    RunController controller;
    PipeScene scene;
    scene.setFdCardsShown(fdCards);
    SceneView view;
    view.setScene(&scene);
    connect(&scene, &PipeScene::layoutChanged, &view, &SceneView::sceneBoundsChanged); // as the window wires it
    view.resize(small);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QString problem;
    int checks = 0;
    auto check = [&](const QString &when) {
        ++checks;
        if (problem.isEmpty())
            if (const QString cut = cutOff(view); !cut.isEmpty())
                problem = when + QStringLiteral(": ") + cut;
    };
    connect(&controller, &RunController::eventsArrived, this, [&](const QVector<Event> &events) {
        scene.applyEvents(events, controller.state());
        check(QStringLiteral("during the run"));
    });
    connect(&controller, &RunController::countersSampled, this, [&] {
        scene.applyCounters(controller.state());
        check(QStringLiteral("during the run"));
    });
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
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(checks > 0);
    QVERIFY(reshape(view, scene, small));
    check(QStringLiteral("after the run"));

    // Another stage and back: the items glide to the new layout, and are whole on the way and once there.
    for (const QSize size : {large, small}) {
        const QString at = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
        QVERIFY(reshape(view, scene, size));
        check(at + QStringLiteral(", gliding"));
        bool arrived = false;
        const qint64 start = scene.clock()->now();
        for (qint64 t = start; t < start + 100000 && !arrived; t += 16) {
            arrived = !scene.advance(t);
            if (t == start + 16 * 4)
                check(at + QStringLiteral(", half way"));
        }
        QVERIFY(arrived);
        check(at + QStringLiteral(", arrived"));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
}

QTEST_MAIN(TestSceneFit)
#include "tst_scenefit.moc"
