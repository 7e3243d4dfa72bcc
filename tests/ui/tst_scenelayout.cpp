// The layout is plain geometry: tested here without a single widget.
#include "scenelayout.h"

#include <QTest>

using pipescope::SceneLayout;

class TestSceneLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noOverlaps_data();
    void noOverlaps();
    void sharedPipesStayBetween();
};

void TestSceneLayout::noOverlaps_data()
{
    QTest::addColumn<int>("processes");
    QTest::addColumn<QVector<int>>("homes");
    for (int n = 1; n <= 64; ++n) {
        // The select shape: one shared pipe, one pipe per child.
        QVector<int> fan {-1};
        for (int c = 1; c < n; ++c)
            fan.push_back(c);
        QTest::addRow("fan-%d", n) << n << fan;
        // Uneven: up to three pipes per child, plus shared ones, up to 160 pipes in all.
        QVector<int> uneven;
        for (int c = 1; c < n && uneven.size() < 150; ++c)
            for (int k = 0; k <= c % 3; ++k)
                uneven.push_back(c);
        for (int k = 0; k < n % 7 + 1; ++k)
            uneven.push_back(-1);
        QTest::addRow("uneven-%d", n) << n << uneven;
    }
    QVector<int> many(160, -1);
    QTest::addRow("160-shared") << 2 << many;
}

void TestSceneLayout::noOverlaps()
{
    QFETCH(int, processes);
    QFETCH(QVector<int>, homes);
    const SceneLayout l = SceneLayout::compute(processes, homes);
    QCOMPARE(l.nodes.size(), processes);
    QCOMPARE(l.pipes.size(), homes.size());
    for (const QRectF &r : l.nodes) {
        QVERIFY(r.width() > 0 && r.height() > 0);
        QVERIFY(l.bounds.contains(r));
    }
    for (const QRectF &r : l.pipes) {
        QVERIFY(r.width() > 0 && r.height() > 0);
        QVERIFY(l.bounds.contains(r));
    }
    QVERIFY(!l.hasOverlaps());
    // Readable on a 16:9 screen: never a tall thin tower or a long thin strip.
    if (processes > 8) {
        const qreal aspect = l.bounds.width() / l.bounds.height();
        QVERIFY2(aspect > 0.5 && aspect < 5, qPrintable(QString::number(aspect)));
    }
}

void TestSceneLayout::sharedPipesStayBetween()
{
    const SceneLayout l = SceneLayout::compute(3, {-1, 1, 2});
    // Shared pipe right of the root, left of every child's cell.
    QVERIFY(l.pipes[0].left() > l.nodes[0].right());
    QVERIFY(l.pipes[0].right() < l.pipes[1].left());
    // A child's own pipe sits just left of it.
    QVERIFY(l.pipes[1].right() < l.nodes[1].left());
    QVERIFY(l.pipes[1].intersects(QRectF(l.pipes[1].left(), l.nodes[1].top(), 1, l.nodes[1].height())));
    // The detector itself works.
    SceneLayout bad = l;
    bad.pipes[0] = bad.nodes[0].translated(10, 10);
    QVERIFY(bad.hasOverlaps());
}

QTEST_APPLESS_MAIN(TestSceneLayout)
#include "tst_scenelayout.moc"
