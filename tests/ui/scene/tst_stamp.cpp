// Stamps (ui/scene/stamp.h) must draw the picture the shapes themselves draw: the same pixels where
// the item sits on whole device pixels, at most a half-pixel shift elsewhere, and never one state's
// frame for another's.
#include "core/model/runstate.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/processitem.h"
#include "ui/scene/scenelayout.h"
#include "ui/scene/stamp.h"
#include "ui/scene/theme.h"

#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QPixmapCache>
#include <QTest>

#include <cstdlib>

using namespace pipescope;

Q_DECLARE_METATYPE(pipescope::ProcessState)

class TestStamp : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { Stamp::setEnabled(true); }
    void sameAsTheShapes_data();
    void sameAsTheShapes();
    void eachStateItsOwnFrame();

private:
    struct Diff {
        int max = 0;
        double mean = 0;
    };
    static Diff compare(const QImage &a, const QImage &b);
    static QImage render(QGraphicsScene &scene, qreal scale, bool stamps);
    Theme m_theme = Theme::light();
};

TestStamp::Diff TestStamp::compare(const QImage &a, const QImage &b)
{
    Diff d;
    double sum = 0;
    for (int y = 0; y < a.height(); ++y) {
        const QRgb *pa = reinterpret_cast<const QRgb *>(a.constScanLine(y));
        const QRgb *pb = reinterpret_cast<const QRgb *>(b.constScanLine(y));
        for (int x = 0; x < a.width(); ++x) {
            const int delta = std::max({std::abs(qRed(pa[x]) - qRed(pb[x])), std::abs(qGreen(pa[x]) - qGreen(pb[x])),
                std::abs(qBlue(pa[x]) - qBlue(pb[x]))});
            d.max = std::max(d.max, delta);
            sum += delta;
        }
    }
    d.mean = sum / (double(a.width()) * a.height());
    return d;
}

QImage TestStamp::render(QGraphicsScene &scene, qreal scale, bool stamps)
{
    Stamp::setEnabled(stamps);
    QPixmapCache::clear();
    QImage image((scene.sceneRect().size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    scene.render(&painter, QRectF(image.rect()), scene.sceneRect());
    return image;
}

void TestStamp::sameAsTheShapes_data()
{
    QTest::addColumn<qreal>("scale");
    QTest::addColumn<bool>("wholePixels");
    QTest::addColumn<ProcessState>("fourth");
    QTest::newRow("1x") << 1.0 << true << ProcessState::Running;
    QTest::newRow("2x") << 2.0 << true << ProcessState::Running;
    QTest::newRow("0.71x") << 0.71 << false << ProcessState::Running;
    QTest::newRow("1.37x") << 1.37 << false << ProcessState::Running;
    // A reaped node is drawn at 75% opacity: through a stamp its border no longer lets the body show
    // through (one layer, not two), which moves a few edge pixels by a few levels.
    QTest::newRow("1x reaped") << 1.0 << false << ProcessState::Reaped;
}

void TestStamp::sameAsTheShapes()
{
    QFETCH(qreal, scale);
    QFETCH(bool, wholePixels);
    QFETCH(ProcessState, fourth);
    QGraphicsScene scene(0, 0, 900, 520);
    const QSizeF node(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight);
    const ProcessState states[] = {ProcessState::Held, ProcessState::Blocked, ProcessState::Exited, fourth};
    for (int i = 0; i < 4; ++i) {
        auto *item = new ProcessItem(&m_theme, node);
        ProcessInfo info;
        info.pid = 100 + i;
        info.role = "writer";
        info.state = states[i];
        item->update(info, {});
        item->setPos(20 + (i % 2) * (node.width() + 40), 20 + (i / 2) * (node.height() + 40));
        scene.addItem(item);
    }
    auto *pipe = new PipeItem(&m_theme, QSizeF(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight));
    PipeInfo info;
    info.inode = 7;
    info.capacity = 65536;
    info.written = 40000;
    pipe->update(info, 0, 1, 0); // every write end closed: the zigzag cut
    pipe->setPos(40, 20 + 2 * (node.height() + 40));
    scene.addItem(pipe);

    const QImage shapes = render(scene, scale, false);
    const QImage stamped = render(scene, scale, true);
    const Diff d = compare(shapes, stamped);
    qInfo("scale %.2f: largest difference %d of 255, mean %.3f", scale, d.max, d.mean);
    if (wholePixels)
        QVERIFY2(d.max <= 8, qPrintable(QString::number(d.max))); // rounding of the blend only
    else
        QVERIFY2(d.mean < 0.5, qPrintable(QString::number(d.mean))); // edges moved by an eighth of a pixel at most
    // Drawn at all: the stamped picture is not the empty background.
    QImage blank(stamped.size(), stamped.format());
    blank.fill(Qt::white);
    QVERIFY(compare(blank, stamped).mean > 10);
}

void TestStamp::eachStateItsOwnFrame()
{
    // Two nodes of one size in two states, drawn one after the other through the cache: each must
    // look like its own shapes, not like the stamp the other left behind.
    QGraphicsScene scene(0, 0, 400, 260);
    auto *item = new ProcessItem(&m_theme, QSizeF(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight));
    item->setPos(20, 20);
    scene.addItem(item);
    ProcessInfo info;
    info.pid = 7;
    info.role = "reader";
    QImage looks[2];
    const ProcessState states[] = {ProcessState::Held, ProcessState::Exited};
    for (int i = 0; i < 2; ++i) {
        info.state = states[i];
        item->update(info, {});
        const QImage shapes = render(scene, 1.0, false);
        Stamp::setEnabled(true); // keep the cache of the first state for the second
        QImage stamped(shapes.size(), shapes.format());
        stamped.fill(Qt::white);
        QPainter painter(&stamped);
        scene.render(&painter, QRectF(stamped.rect()), scene.sceneRect());
        painter.end();
        QVERIFY2(compare(shapes, stamped).max <= 8, qPrintable(QString::number(compare(shapes, stamped).max)));
        looks[i] = stamped;
    }
    QVERIFY(compare(looks[0], looks[1]).mean > 1); // the two states really look different
}

QTEST_MAIN(TestStamp)
#include "tst_stamp.moc"
