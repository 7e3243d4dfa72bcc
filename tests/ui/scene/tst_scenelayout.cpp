// The layout is plain geometry: tested here without a single widget.
#include "ui/scene/scenelayout.h"

#include <QTest>

using pipescope::SceneLayout;

class TestSceneLayout : public QObject
{
    Q_OBJECT
private:
    static void checkLayout(const SceneLayout &l, int processes, const QVector<int> &homes, bool annexes);

private Q_SLOTS:
    void noOverlaps_data();
    void noOverlaps();
    void sharedPipesStayBetween();
    void connectorsAvoidItems_data();
    void connectorsAvoidItems();
    void fanInReadsLeftToRight();
    void annexesSitBelowTheirNodes();
    void withoutAnnexesTheLayoutIsUnchanged();
    void pipelinesAreChainsOnlyWhenTheyAre();
    void pipelinesReadLeftToRight_data();
    void pipelinesReadLeftToRight();
};

void TestSceneLayout::noOverlaps_data()
{
    QTest::addColumn<int>("processes");
    QTest::addColumn<QVector<int>>("homes");
    QTest::addColumn<bool>("annexes"); // every shape twice: plain, and with an fd card below each node
    for (int n = 1; n <= 64; ++n) {
        // The select shape: one shared pipe, one pipe per child.
        QVector<int> fan {-1};
        for (int c = 1; c < n; ++c)
            fan.push_back(c);
        QTest::addRow("fan-%d", n) << n << fan << false;
        QTest::addRow("fan-%d-fd", n) << n << fan << true;
        // Uneven: up to three pipes per child, plus shared ones, up to 160 pipes in all.
        QVector<int> uneven;
        for (int c = 1; c < n && uneven.size() < 150; ++c)
            for (int k = 0; k <= c % 3; ++k)
                uneven.push_back(c);
        for (int k = 0; k < n % 7 + 1; ++k)
            uneven.push_back(-1);
        QTest::addRow("uneven-%d", n) << n << uneven << false;
        QTest::addRow("uneven-%d-fd", n) << n << uneven << true;
    }
    QVector<int> many(160, -1);
    QTest::addRow("160-shared") << 2 << many << false;
    QTest::addRow("160-shared-fd") << 2 << many << true;
}

void TestSceneLayout::noOverlaps()
{
    QFETCH(int, processes);
    QFETCH(QVector<int>, homes);
    QFETCH(bool, annexes);
    for (const auto flow : {SceneLayout::Flow::Out, SceneLayout::Flow::In}) {
        const SceneLayout l = SceneLayout::compute(processes, homes, flow, annexes);
        checkLayout(l, processes, homes, annexes);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestSceneLayout::checkLayout(const SceneLayout &l, int processes, const QVector<int> &homes, bool annexes)
{
    QCOMPARE(l.nodes.size(), processes);
    QCOMPARE(l.annexes.size(), annexes ? processes : 0);
    for (const QRectF &r : l.annexes) {
        QVERIFY(r.width() > 0 && r.height() >= l.annexLines * l.annexLineHeight);
        QVERIFY(l.bounds.contains(r));
    }
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
    // The picture ends at its items, with the same margin above and below: no room planned for a shared
    // pipe that went elsewhere is left empty (select's picture was drawn smaller for it).
    qreal top = l.bounds.bottom(), bottom = l.bounds.top();
    for (const QVector<QRectF> *items : {&l.nodes, &l.pipes, &l.annexes})
        for (const QRectF &r : *items) {
            top = std::min(top, r.top());
            bottom = std::max(bottom, r.bottom());
        }
    QVERIFY2(
        std::abs((top - l.bounds.top()) - (l.bounds.bottom() - bottom)) < 4, // a compact pipe stands 3 above its row
        qPrintable(QStringLiteral("%1 above, %2 below").arg(top - l.bounds.top()).arg(l.bounds.bottom() - bottom)));
    // Readable on a 16:9 screen: never a tall thin tower or a long thin strip.
    if (processes > 8) {
        const qreal aspect = l.bounds.width() / l.bounds.height();
        QVERIFY2(aspect > 0.5 && aspect < 5, qPrintable(QString::number(aspect)));
    }
}

void TestSceneLayout::sharedPipesStayBetween()
{
    const SceneLayout l = SceneLayout::compute(3, {-1, 1, 2});
    // The shared pipe stands below (or above) the root, in its column, left of every child's cell:
    // not in a column of its own, where it would stand end to end with the children's pipes.
    QVERIFY(l.pipes[0].top() > l.nodes[0].bottom() || l.pipes[0].bottom() < l.nodes[0].top());
    QVERIFY(l.pipes[0].left() < l.nodes[0].right() && l.pipes[0].right() > l.nodes[0].left());
    QVERIFY(l.pipes[0].right() < l.pipes[1].left());
    // A child's own pipe sits just left of it.
    QVERIFY(l.pipes[1].right() < l.nodes[1].left());
    QVERIFY(l.pipes[1].intersects(QRectF(l.pipes[1].left(), l.nodes[1].top(), 1, l.nodes[1].height())));
    // The detector itself works.
    SceneLayout bad = l;
    bad.pipes[0] = bad.nodes[0].translated(10, 10);
    QVERIFY(bad.hasOverlaps());
}

void TestSceneLayout::connectorsAvoidItems_data()
{
    noOverlaps_data();
}

void TestSceneLayout::connectorsAvoidItems()
{
    QFETCH(int, processes);
    QFETCH(QVector<int>, homes);
    QFETCH(bool, annexes);
    for (const auto flow : {SceneLayout::Flow::Out, SceneLayout::Flow::In}) {
        const SceneLayout l = SceneLayout::compute(processes, homes, flow, annexes);
        for (int pipe = 0; pipe < homes.size(); ++pipe) {
            // Every end to process 0, to the pipe's own process, and to a few others, both directions.
            QVector<int> who {0, homes[pipe], 1, processes / 2, processes - 1};
            for (const int p : who) {
                if (p < 0 || p >= processes)
                    continue;
                for (const bool writeEnd : {true, false}) {
                    for (const bool right : {true, false}) {
                        const QPolygonF line = l.route(p, pipe, writeEnd, right);
                        QVERIFY(line.size() >= 2);
                        QCOMPARE(line.back(), l.mouth(pipe, writeEnd, right));
                        QVERIFY2(l.nodes[p].adjusted(-1, -1, 1, 1).contains(line.front()),
                            qPrintable(QStringLiteral("starts off its node: process %1 pipe %2").arg(p).arg(pipe)));
                        for (int i = 1; i < line.size(); ++i) // horizontal or vertical only
                            QVERIFY(qFuzzyCompare(line[i].x() + 1, line[i - 1].x() + 1)
                                || qFuzzyCompare(line[i].y() + 1, line[i - 1].y() + 1));
                        QVERIFY2(!l.crossesItems(line, p, pipe),
                            qPrintable(QStringLiteral("process %1 to pipe %2 (%3 end, %4) crosses an item")
                                           .arg(p)
                                           .arg(pipe)
                                           .arg(writeEnd ? QStringLiteral("write") : QStringLiteral("read"))
                                           .arg(right ? QStringLiteral("flows right") : QStringLiteral("flows left"))));
                        QVERIFY(l.bounds.contains(line.boundingRect()));
                    }
                }
            }
        }
    }
}

void TestSceneLayout::fanInReadsLeftToRight()
{
    // The select shape: writers -> their pipes -> the reader on the right.
    for (const int n : {2, 5, 17, 65}) {
        QVector<int> homes {-1};
        for (int c = 1; c < n; ++c)
            homes.push_back(c);
        const SceneLayout l = SceneLayout::compute(n, homes, SceneLayout::Flow::In);
        for (int c = 1; c < n; ++c) {
            QVERIFY(l.nodes[c].right() < l.pipes[c].left()); // each pipe right beside its writer
            QVERIFY(l.nodes[c].intersects(QRectF(l.nodes[c].left(), l.pipes[c].top(), 1, l.pipes[c].height())));
            QVERIFY(l.pipes[c].right() < l.nodes[0].left()); // the reader right of every pipe
            QVERIFY(l.flowsRight(c, {c}, {0}));
        }
        QVERIFY(l.pipes[0].right() < l.nodes[0].left() || l.pipes[0].top() > l.nodes[0].bottom());
        // Writer 1 top left.
        for (int c = 2; c < n; ++c)
            QVERIFY(l.nodes[1].left() <= l.nodes[c].left() && l.nodes[1].top() <= l.nodes[c].top());
        // The reader in the middle of its writers, vertically (a shared pipe may add a row below or above).
        qreal top = l.nodes[1].top(), bottom = l.nodes[1].bottom();
        for (int c = 2; c < n; ++c) {
            top = std::min(top, l.nodes[c].top());
            bottom = std::max(bottom, l.nodes[c].bottom());
        }
        QVERIFY2(std::abs(l.nodes[0].center().y() - (top + bottom) / 2) < 1, qPrintable(QString::number(n)));
    }
}

void TestSceneLayout::annexesSitBelowTheirNodes()
{
    for (const int n : {2, 3, 17, 64}) {
        QVector<int> fan {-1};
        for (int c = 1; c < n; ++c)
            fan.push_back(c);
        const SceneLayout l = SceneLayout::compute(n, fan, SceneLayout::Flow::In, true);
        QVERIFY(l.annexLines > 0);
        for (int p = 0; p < n; ++p) {
            // Attached: same column, just below its own node.
            QCOMPARE(l.annexes[p].left(), l.nodes[p].left());
            QCOMPARE(l.annexes[p].width(), l.nodes[p].width());
            QCOMPARE(l.annexes[p].top(), l.nodes[p].bottom() + SceneLayout::kAnnexGap);
        }
    }
}

void TestSceneLayout::withoutAnnexesTheLayoutIsUnchanged()
{
    // Turning the cards off restores exactly the picture without cards: these rectangles were
    // printed by SceneLayout once shared pipes kept clear of the children's pipes (no two end to end).
    const SceneLayout three = SceneLayout::compute(3, {-1, 1, 2, 2});
    // The shared pipe stands above the root, clear of the children's pipes across the channel.
    QCOMPARE(three.nodes, (QVector<QRectF> {{61, 419, 330, 160}, {1036, 225, 330, 160}, {1036, 613, 330, 160}}));
    QCOMPARE(three.pipes,
        (QVector<QRectF> {{56, 56, 340, 150}, {546, 230, 340, 150}, {546, 531, 340, 150}, {546, 705, 340, 150}}));
    QCOMPARE(three.bounds, QRectF(0, 0, 1422, 911));
    QVERIFY(three.annexes.isEmpty());
    QCOMPARE(three.annexLines, 0);
    const SceneLayout fan = SceneLayout::compute(6, {-1, 1, 2, 3, 4, 5}, SceneLayout::Flow::In, false);
    QCOMPARE(fan.nodes,
        (QVector<QRectF> {{751, 439, 250, 136}, {56, 59, 250, 136}, {56, 249, 250, 136}, {56, 439, 250, 136},
            {56, 629, 250, 136}, {56, 819, 250, 136}}));
    QCOMPARE(fan.pipes,
        (QVector<QRectF> {{746, 982, 260, 142}, {390, 56, 260, 142}, {390, 246, 260, 142}, {390, 436, 260, 142},
            {390, 626, 260, 142}, {390, 816, 260, 142}}));
    QCOMPARE(fan.bounds, QRectF(0, 0, 1062, 1180));
    const SceneLayout on = SceneLayout::compute(3, {-1, 1, 2, 2}, SceneLayout::Flow::Out, true);
    QVERIFY(on.bounds.height() > three.bounds.height());
    QCOMPARE(on.annexes.size(), 3);
}

QTEST_APPLESS_MAIN(TestSceneLayout)
void TestSceneLayout::pipelinesAreChainsOnlyWhenTheyAre()
{
    using Links = QVector<QPair<int, int>>;
    const QPair<int, int> none {-1, -1};
    // sh; a | b | c, with the pipes given in any order, and a stray pipe that is no link.
    const QVector<SceneLayout::Chain> abc = SceneLayout::chainsOf(4, Links {{2, 3}, none, {1, 2}});
    QCOMPARE(abc.size(), 1);
    QCOMPARE(abc[0].stages, (QVector<int> {1, 2, 3}));
    QCOMPARE(abc[0].pipes, (QVector<int> {2, 0}));
    // Two pipelines side by side.
    QCOMPARE(SceneLayout::chainsOf(5, Links {{1, 2}, {3, 4}}).size(), 2);
    // A tee (two pipes out of one process), a merge, and a cycle are not rows.
    QVERIFY(SceneLayout::chainsOf(4, Links {{1, 2}, {1, 3}}).isEmpty());
    QVERIFY(SceneLayout::chainsOf(4, Links {{1, 3}, {2, 3}}).isEmpty());
    QVERIFY(SceneLayout::chainsOf(3, Links {{1, 2}, {2, 1}}).isEmpty());
    QVERIFY(SceneLayout::chainsOf(4, Links {{1, 2}, {2, 3}, {3, 1}}).isEmpty());
    // Process 0 is never a stage: its pipes are no links.
    QVERIFY(SceneLayout::chainsOf(3, Links {{0, 1}, none}).isEmpty());
}

void TestSceneLayout::pipelinesReadLeftToRight_data()
{
    QTest::addColumn<QVector<int>>("lengths"); // stages per pipeline
    QTest::addColumn<int>("loners"); // children in no pipeline
    QTest::addColumn<int>("strays"); // pipes that are no link
    QTest::addColumn<bool>("annexes");
    for (const bool annexes : {false, true}) {
        const char *fd = annexes ? "-fd" : "";
        QTest::addRow("a|b%s", fd) << QVector<int> {2} << 0 << 0 << annexes;
        QTest::addRow("a|b|c+stray%s", fd) << QVector<int> {3} << 0 << 1 << annexes;
        QTest::addRow("a|b|c|d|e%s", fd) << QVector<int> {5} << 0 << 2 << annexes;
        QTest::addRow("two-pipelines%s", fd) << QVector<int> {3, 2} << 1 << 1 << annexes;
        QTest::addRow("many-loners%s", fd) << QVector<int> {2} << 5 << 4 << annexes;
        QTest::addRow("three-long%s", fd) << QVector<int> {6, 4, 2} << 2 << 3 << annexes;
    }
}

void TestSceneLayout::pipelinesReadLeftToRight()
{
    QFETCH(QVector<int>, lengths);
    QFETCH(int, loners);
    QFETCH(int, strays);
    QFETCH(bool, annexes);
    // Process 0, the stages of each pipeline in turn, then the loners; strays first among the pipes.
    QVector<QPair<int, int>> links(strays, {-1, -1});
    int next = 1;
    for (const int length : lengths) {
        for (int k = 0; k + 1 < length; ++k)
            links.push_back({next + k, next + k + 1});
        next += length;
    }
    const int processes = next + loners;
    const QVector<SceneLayout::Chain> chains = SceneLayout::chainsOf(processes, links);
    QCOMPARE(chains.size(), lengths.size());
    const SceneLayout l = SceneLayout::computeChains(processes, links.size(), chains, annexes);
    QCOMPARE(l.flow, SceneLayout::Flow::Chain);
    checkLayout(l, processes, QVector<int>(links.size(), 1), annexes);
    if (QTest::currentTestFailed())
        return;
    for (const SceneLayout::Chain &c : chains) {
        for (int k = 0; k + 1 < c.stages.size(); ++k) {
            const QRectF from = l.nodes[c.stages[k]], to = l.nodes[c.stages[k + 1]];
            const QRectF pipe = l.pipes[c.pipes[k]];
            // One row, in order: stage, its pipe, the next stage, level with each other.
            QCOMPARE(from.top(), to.top());
            QVERIFY(from.right() < pipe.left() && pipe.right() < to.left());
            QVERIFY(qAbs(pipe.center().y() - from.center().y()) < 1);
            QVERIFY(l.flowsRight(c.pipes[k], {c.stages[k]}, {c.stages[k + 1]}));
        }
        QVERIFY(l.nodes[0].bottom() < l.nodes[c.stages[0]].top()); // the parent stands above
    }
    // Every end to process 0, to the pipe's own stages and to a loner: nothing crossed, in either direction.
    for (int pipe = 0; pipe < links.size(); ++pipe) {
        for (const int p : {0, links[pipe].first, links[pipe].second, processes - 1, 1}) {
            if (p < 0 || p >= processes)
                continue;
            for (const bool writeEnd : {true, false}) {
                for (const bool right : {true, false}) {
                    const QPolygonF line = l.route(p, pipe, writeEnd, right);
                    QVERIFY(line.size() >= 2);
                    QCOMPARE(line.back(), l.mouth(pipe, writeEnd, right));
                    for (int i = 1; i < line.size(); ++i)
                        QVERIFY(qFuzzyCompare(line[i].x() + 1, line[i - 1].x() + 1)
                            || qFuzzyCompare(line[i].y() + 1, line[i - 1].y() + 1));
                    QVERIFY2(!l.crossesItems(line, p, pipe),
                        qPrintable(QStringLiteral("process %1 to pipe %2 (%3 end, %4) crosses an item")
                                       .arg(p)
                                       .arg(pipe)
                                       .arg(writeEnd ? QStringLiteral("write") : QStringLiteral("read"))
                                       .arg(right ? QStringLiteral("flows right") : QStringLiteral("flows left"))));
                    QVERIFY(l.bounds.contains(line.boundingRect()));
                }
            }
        }
    }
}

#include "tst_scenelayout.moc"
