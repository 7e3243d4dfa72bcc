#include "scenelayout.h"

#include <algorithm>
#include <cmath>

namespace pipescope
{

namespace
{

/// Columns for n cells so the grid is about as wide as a 16:9 screen.
int gridColumns(int n, qreal cellW, qreal cellH)
{
    int best = 1;
    qreal bestScore = 1e9;
    for (int c = 1; c <= n; ++c) {
        const int rows = (n + c - 1) / c;
        const qreal aspect = (c * cellW) / (rows * cellH);
        const qreal score = std::abs(std::log(aspect / 1.6));
        if (score < bestScore) {
            bestScore = score;
            best = c;
        }
    }
    return best;
}

} // namespace

SceneLayout SceneLayout::compute(int processCount, const QVector<int> &pipeHome)
{
    SceneLayout l;
    const int n = std::max(0, processCount);
    l.nodes.resize(n);
    l.pipes.resize(pipeHome.size());
    if (n == 0 && pipeHome.isEmpty())
        return l;

    // Pipes per process and the shared ones.
    QVector<QVector<int>> homePipes(std::max(n, 1));
    QVector<int> shared;
    for (int i = 0; i < pipeHome.size(); ++i) {
        const int home = pipeHome[i];
        if (home >= 1 && home < n)
            homePipes[home].push_back(i);
        else
            shared.push_back(i);
    }
    int slotCount = 1;
    for (int p = 1; p < n; ++p)
        slotCount = std::max(slotCount, static_cast<int>(homePipes[p].size()));

    const qreal stackH = slotCount * kPipeHeight + (slotCount - 1) * kPipeGap;
    const qreal cellH = std::max(kNodeHeight, stackH) + kGapY;
    const qreal cellW = kPipeWidth + kGapX + kNodeWidth + kGapX;
    const int children = std::max(0, n - 1);
    const int columns = children > 0 ? gridColumns(children, cellW, cellH) : 0;
    const int rows = columns > 0 ? (children + columns - 1) / columns : 0;
    const qreal gridH = rows * cellH - (rows > 0 ? kGapY : 0);

    // Shared pipes: a column (several when there are many) between root and grid.
    const qreal sharedRowH = kPipeHeight + kPipeGap;
    const int sharedRowsMax = std::max(1, static_cast<int>((std::max(gridH, kNodeHeight) + kPipeGap) / sharedRowH));
    const int sharedCols = shared.isEmpty() ? 0 : (static_cast<int>(shared.size()) + sharedRowsMax - 1) / sharedRowsMax;
    const int sharedRows = shared.isEmpty() ? 0 : std::min(static_cast<int>(shared.size()), sharedRowsMax);
    const qreal sharedH = sharedRows * sharedRowH - (sharedRows > 0 ? kPipeGap : 0);

    const qreal height = std::max({gridH, sharedH, kNodeHeight});
    qreal x = 0;
    if (n > 0)
        l.nodes[0] = QRectF(x, (height - kNodeHeight) / 2, kNodeWidth, kNodeHeight);
    x += kNodeWidth + kGapX;

    const qreal sharedTop = (height - sharedH) / 2;
    for (int k = 0; k < shared.size(); ++k) {
        const int col = k / sharedRowsMax;
        const int row = k % sharedRowsMax;
        l.pipes[shared[k]]
            = QRectF(x + col * (kPipeWidth + kGapX), sharedTop + row * sharedRowH, kPipeWidth, kPipeHeight);
    }
    x += sharedCols * (kPipeWidth + kGapX);

    const qreal gridTop = (height - gridH) / 2;
    for (int p = 1; p < n; ++p) {
        const int cell = p - 1;
        const qreal cx = x + (cell % columns) * cellW;
        const qreal cy = gridTop + (cell / columns) * cellH;
        const qreal inner = cellH - kGapY;
        l.nodes[p] = QRectF(cx + kPipeWidth + kGapX, cy + (inner - kNodeHeight) / 2, kNodeWidth, kNodeHeight);
        const QVector<int> &mine = homePipes[p];
        const qreal myStack = mine.size() * kPipeHeight + (mine.size() - 1) * kPipeGap;
        for (int k = 0; k < mine.size(); ++k)
            l.pipes[mine[k]]
                = QRectF(cx, cy + (inner - myStack) / 2 + k * (kPipeHeight + kPipeGap), kPipeWidth, kPipeHeight);
    }

    QRectF bounds;
    for (const QRectF &r : std::as_const(l.nodes))
        bounds = bounds.united(r);
    for (const QRectF &r : std::as_const(l.pipes))
        bounds = bounds.united(r);
    l.bounds = bounds;
    return l;
}

bool SceneLayout::hasOverlaps() const
{
    QVector<QRectF> all = nodes;
    all += pipes;
    for (int i = 0; i < all.size(); ++i) {
        for (int j = i + 1; j < all.size(); ++j) {
            if (all[i].intersects(all[j]))
                return true;
        }
    }
    return false;
}

} // namespace pipescope
