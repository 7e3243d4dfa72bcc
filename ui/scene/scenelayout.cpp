#include "ui/scene/scenelayout.h"

#include "ui/scene/lanespreader.h"

#include <QLineF>

#include <algorithm>
#include <cmath>

namespace pipescope
{

namespace
{
constexpr qreal kMargin = 56; ///< outer channels and tracks
constexpr qreal kPipeGap = 24; ///< between pipes stacked in one cell
constexpr qreal kAspect = 1.5; ///< the scene view of a 1920x1080 window

int ceilDiv(int a, int b)
{
    return b > 0 ? (a + b - 1) / b : 0;
}

bool segmentHitsRect(const QLineF &s, const QRectF &r)
{
    // Connectors are horizontal and vertical: most segments are told apart by their boxes alone.
    if (std::max(s.x1(), s.x2()) < r.left() || std::min(s.x1(), s.x2()) > r.right()
        || std::max(s.y1(), s.y2()) < r.top() || std::min(s.y1(), s.y2()) > r.bottom())
        return false;
    if (r.contains(s.p1()) || r.contains(s.p2()))
        return true;
    const QLineF edges[] = {{r.topLeft(), r.topRight()}, {r.topRight(), r.bottomRight()},
        {r.bottomRight(), r.bottomLeft()}, {r.bottomLeft(), r.topLeft()}};
    for (const QLineF &e : edges)
        if (s.intersects(e, nullptr) == QLineF::BoundedIntersection)
            return true;
    return false;
}
} // namespace

SceneLayout SceneLayout::compute(int processCount, const QVector<int> &pipeHome, Flow flow, bool annexes, qreal aspect)
{
    SceneLayout l;
    l.flow = flow;
    l.pipeHome = pipeHome;
    const int n = std::max(0, processCount);
    l.nodes.resize(n);
    l.pipes.resize(pipeHome.size());
    l.annexes.resize(annexes ? n : 0);
    if (n == 0 && pipeHome.isEmpty())
        return l;
    const bool compact = n >= kCompactFrom || pipeHome.size() > kCompactFrom;
    l.nodeSize = compact ? QSizeF(kCompactNodeWidth, kCompactNodeHeight) : QSizeF(kNodeWidth, kNodeHeight);
    l.pipeSize = compact ? QSizeF(kCompactPipeWidth, kCompactPipeHeight) : QSizeF(kPipeWidth, kPipeHeight);
    if (annexes) {
        l.nodeSize.setWidth(compact ? kCompactAnnexNodeWidth : kAnnexNodeWidth);
        l.annexLines = compact ? kCompactAnnexLines : kAnnexLines;
        l.annexLineHeight = compact ? kCompactAnnexLineHeight : kAnnexLineHeight;
    }
    const qreal nodeW = l.nodeSize.width(), nodeH = l.nodeSize.height();
    const qreal annexH = annexes ? l.annexLines * l.annexLineHeight + kAnnexPadding : 0;
    // A node and its card stand together as one block; rows, stacks and tracks make room for the whole block.
    const qreal blockH = nodeH + (annexes ? kAnnexGap + annexH : 0);
    const qreal pipeW = l.pipeSize.width(), pipeH = l.pipeSize.height();
    const qreal gapY = compact ? 48 : 64; // a row track runs in the middle
    // Between columns, and between a cell's pipes and its node: with few items
    // the gaps are wide, so travelling chunks have room to be seen.
    const qreal channel = compact ? 96 : 150;
    const qreal inner = compact ? 84 : 150;
    l.chipRoom = std::min(channel, inner) - 2 * kLane - 12;

    QVector<QVector<int>> homePipes(std::max(n, 1));
    QVector<int> shared;
    for (int i = 0; i < pipeHome.size(); ++i) {
        const int home = pipeHome[i];
        if (home >= 1 && home < n)
            homePipes[home].push_back(i);
        else
            shared.push_back(i);
    }
    int slotCount = 0;
    for (int p = 1; p < n; ++p)
        slotCount = std::max(slotCount, static_cast<int>(homePipes[p].size()));
    // Without a pipe of their own, cells are just their nodes (no empty pipe slot beside each).
    const bool homeSlots = slotCount > 0;
    const qreal rowH = std::max(blockH, slotCount * pipeH + (slotCount - 1) * kPipeGap);
    const qreal pitch = rowH + gapY;
    const qreal slotW = homeSlots ? pipeW + inner : 0;
    const qreal cellW = slotW + nodeW;
    const int children = std::max(0, n - 1);
    const int sharedCount = static_cast<int>(shared.size());

    // Shared pipes stack below and above process 0 (beside), growing the picture's height when they
    // need it, or stand in columns between process 0 and the grid. A column stands end to end with the
    // grid's own pipes (and with the next column): only without those.
    struct Plan {
        int rows = 1;
        bool beside = true;
        qreal contentH = 0;
        qreal gridH = 0;
        qreal width = 0;
        int sharedCols = 0;
        qreal rootW = 0;
    };
    const auto plan = [&](int rows, bool beside) {
        Plan p;
        p.rows = rows;
        p.beside = beside || sharedCount == 0;
        const int cols = ceilDiv(children, rows);
        p.gridH = children > 0 || !p.beside ? rows * pitch - gapY : 0;
        p.contentH = std::max(p.gridH, blockH);
        if (p.beside && sharedCount > 0) {
            const int perSide = ceilDiv(sharedCount, 2);
            p.contentH = std::max(p.contentH, blockH + 2 * (gapY + perSide * (pipeH + kPipeGap) - kPipeGap));
        }
        p.sharedCols = p.beside ? 0 : ceilDiv(sharedCount, rows);
        p.rootW = p.beside && sharedCount > 0 ? std::max(nodeW, pipeW) : nodeW;
        const qreal x = kMargin + p.rootW + channel + p.sharedCols * (pipeW + channel);
        p.width
            = std::max(cols > 0 ? x + cols * (cellW + channel) - channel + kMargin : x, kMargin + p.rootW + channel);
        return p;
    };
    // Rows: the count that lets the whole picture be drawn largest in the view.
    Plan chosen = plan(1, true);
    qreal best = -1;
    for (int r = 1; r <= std::max({1, children, sharedCount}); ++r) {
        for (const bool beside : {true, false}) {
            if (!beside && sharedCount == 0)
                continue;
            const Plan p = plan(r, beside);
            qreal score = fittedScale(QRectF(0, 0, p.width, p.contentH + 2 * kMargin), aspect);
            // Pipes end to end read as one chain: only when nothing else fits half as large.
            if (!p.beside && (homeSlots || p.sharedCols > 1))
                score *= 0.5;
            if (score > best * 1.0001) {
                best = score;
                chosen = p;
            }
        }
    }
    const int rows = chosen.rows;
    const int cols = ceilDiv(children, rows);
    const qreal top = kMargin;
    const qreal contentH = chosen.contentH;
    const bool beside = chosen.beside;
    const int sharedCols = chosen.sharedCols;
    const qreal rootW = chosen.rootW;
    const qreal gridTop = top + (contentH - chosen.gridH) / 2;

    // Built with process 0 on the left (Flow::Out), mirrored afterwards for Flow::In.
    qreal x = kMargin;
    l.m_channels.push_back(kMargin / 2);
    const qreal rootTop = top + (contentH - blockH) / 2;
    if (n > 0)
        l.nodes[0] = QRectF(x + (rootW - nodeW) / 2, rootTop, nodeW, nodeH);
    if (beside) {
        for (int k = 0; k < sharedCount; ++k) {
            const int slot = k / 2; // first below, then above, alternating
            const qreal y = k % 2 == 0 ? rootTop + blockH + gapY + slot * (pipeH + kPipeGap)
                                       : rootTop - gapY - pipeH - slot * (pipeH + kPipeGap);
            l.pipes[shared[k]] = QRectF(x + (rootW - pipeW) / 2, y, pipeW, pipeH);
        }
    }
    x += rootW + channel;
    l.m_channels.push_back(x - channel / 2);
    l.m_rowTrackLeft = x - channel / 2;

    for (int c = 0; c < sharedCols; ++c) {
        const int first = c * rows;
        const int inCol = std::min(rows, sharedCount - first);
        const int startRow = (rows - inCol) / 2;
        for (int k = 0; k < inCol; ++k)
            l.pipes[shared[first + k]] = QRectF(x, gridTop + (startRow + k) * pitch + (rowH - pipeH) / 2, pipeW, pipeH);
        x += pipeW + channel;
        l.m_channels.push_back(x - channel / 2);
    }

    const qreal gridX = x;
    for (int c = 0; c < cols; ++c) {
        if (homeSlots)
            l.m_channels.push_back(gridX + c * (cellW + channel) + pipeW + inner / 2);
        // The last one is the outer margin.
        l.m_channels.push_back(c + 1 < cols ? gridX + (c + 1) * (cellW + channel) - channel / 2
                                            : gridX + c * (cellW + channel) + cellW + kMargin / 2);
    }
    for (int p = 1; p < n; ++p) {
        const int cell = p - 1;
        // Column by column, top to bottom; with Flow::In the first column ends up leftmost.
        int col = cell / rows;
        if (flow == Flow::In)
            col = cols - 1 - col;
        const int row = cell % rows;
        const qreal cx = gridX + col * (cellW + channel);
        const qreal cy = gridTop + row * pitch;
        l.nodes[p] = QRectF(cx + slotW, cy + (rowH - blockH) / 2, nodeW, nodeH);
        const QVector<int> &mine = homePipes[p];
        const qreal stack = mine.size() * pipeH + (mine.size() - 1) * kPipeGap;
        // Level with the node (not with its card), so the connectors between them stay short.
        const qreal stackTop = std::clamp(l.nodes[p].center().y() - stack / 2, cy, cy + rowH - stack);
        for (int k = 0; k < mine.size(); ++k)
            l.pipes[mine[k]] = QRectF(cx, stackTop + k * (pipeH + kPipeGap), pipeW, pipeH);
    }
    const qreal width = chosen.width;
    l.m_rowTrackRight = l.m_channels.back();
    for (int r = 1; r < rows; ++r)
        l.m_rowTracks.push_back(gridTop + r * pitch - gapY / 2);
    qreal contentBottom = top + contentH;
    if (beside && homeSlots && sharedCount > 0 && n > 0) {
        // A shared pipe beside the root never stands level with a child's pipe across the channel: the two
        // would read as one chain, their arrowheads meeting. Each goes below or above the root, past any
        // such pipe, on the side that grows the picture least; the root stands centred or level with a
        // row, whichever keeps the picture lowest.
        const auto pushedPast = [&](QRectF r, bool down) {
            for (bool moved = true; moved;) {
                moved = false;
                for (int i = 0; i < pipeHome.size(); ++i) {
                    const QRectF &other = l.pipes[i];
                    if (pipeHome[i] < 1 || pipeHome[i] >= n || other.bottom() + kPipeGap <= r.top()
                        || other.top() - kPipeGap >= r.bottom())
                        continue;
                    r.moveTop(down ? other.bottom() + kPipeGap : other.top() - kPipeGap - pipeH);
                    moved = true;
                }
            }
            return r;
        };
        QVector<qreal> roots {rootTop};
        for (int r = 0; r < rows; ++r)
            roots.push_back(gridTop + r * pitch + (rowH - blockH) / 2);
        qreal bestH = 1e18, bestRoot = rootTop, bestLo = top, bestHi = top + contentH;
        QVector<QRectF> bestPipes;
        for (const qreal rt : std::as_const(roots)) {
            QVector<QRectF> pipes = l.pipes;
            qreal below = rt + blockH + gapY, above = rt - gapY;
            qreal lo = std::min(top, rt), hi = std::max(top + contentH, rt + blockH);
            for (int k = 0; k < sharedCount; ++k) {
                const qreal px = l.pipes[shared[k]].left();
                const QRectF down = pushedPast(QRectF(px, below, pipeW, pipeH), true);
                const QRectF up = pushedPast(QRectF(px, above - pipeH, pipeW, pipeH), false);
                const bool goDown = std::max<qreal>(0, down.bottom() - hi) <= std::max<qreal>(0, lo - up.top());
                const QRectF r = goDown ? down : up;
                pipes[shared[k]] = r;
                (goDown ? below : above) = goDown ? r.bottom() + kPipeGap : r.top() - kPipeGap;
                lo = std::min(lo, r.top());
                hi = std::max(hi, r.bottom());
            }
            if (hi - lo < bestH - 0.5) {
                bestH = hi - lo;
                bestRoot = rt;
                bestLo = lo;
                bestHi = hi;
                bestPipes = pipes;
            }
        }
        l.pipes = bestPipes;
        l.nodes[0].moveTop(bestRoot);
        // Grown past the top: everything moves down.
        const qreal shift = top - bestLo;
        for (QVector<QRectF> *items : {&l.nodes, &l.pipes})
            for (QRectF &r : *items)
                r.translate(0, shift);
        for (qreal &t : l.m_rowTracks)
            t += shift;
        contentBottom = bestHi + shift;
    }
    for (int p = 0; p < l.annexes.size(); ++p)
        l.annexes[p] = QRectF(l.nodes[p].left(), l.nodes[p].bottom() + kAnnexGap, nodeW, annexH);
    // Room planned for shared pipes on both sides of the root that they did not take (they went below
    // past a child's pipe, say) stays empty: the picture ends at its items, so it is drawn larger.
    qreal lo = 1e18, hi = -1e18;
    for (const QVector<QRectF> *items : {&l.nodes, &l.pipes, &l.annexes})
        for (const QRectF &r : *items) {
            lo = std::min(lo, r.top());
            hi = std::max(hi, r.bottom());
        }
    if (lo < hi && lo > top) {
        const qreal shift = top - lo;
        for (QVector<QRectF> *items : {&l.nodes, &l.pipes, &l.annexes})
            for (QRectF &r : *items)
                r.translate(0, shift);
        for (qreal &t : l.m_rowTracks)
            t += shift;
        hi += shift;
    }
    if (lo < hi)
        contentBottom = std::min(contentBottom, hi);
    l.m_topTrack = kMargin / 2;
    l.m_bottomTrack = contentBottom + kMargin / 2;

    if (flow == Flow::In) {
        auto mirror = [width](QRectF &r) { r.moveLeft(width - r.right()); };
        for (QRectF &r : l.nodes)
            mirror(r);
        for (QRectF &r : l.pipes)
            mirror(r);
        for (QRectF &r : l.annexes)
            mirror(r);
        for (qreal &c : l.m_channels)
            c = width - c;
        std::sort(l.m_channels.begin(), l.m_channels.end());
        const qreal left = width - l.m_rowTrackRight;
        l.m_rowTrackRight = width - l.m_rowTrackLeft;
        l.m_rowTrackLeft = left;
    }
    l.bounds = QRectF(0, 0, width, contentBottom + kMargin);
    return l;
}

qreal SceneLayout::chipRoomAlong(const QPolygonF &line) const
{
    qreal room = chipRoom;
    constexpr qreal kChipHalfHeight = 24; // the tallest chip, for a big transfer
    // Vertical stretches in channels; the first and last segments leave a node and enter a mouth
    // (the chip keeps clear of both ends there by itself).
    for (int i = 2; i + 1 < line.size(); ++i) {
        const QLineF s(line[i - 1], line[i]);
        if (std::abs(s.dx()) > 0.01)
            continue;
        const qreal x = s.x1();
        const qreal top = std::min(s.y1(), s.y2()) - kChipHalfHeight,
                    bottom = std::max(s.y1(), s.y2()) + kChipHalfHeight;
        for (const QVector<QRectF> *items : {&nodes, &pipes, &annexes})
            for (const QRectF &r : *items) {
                if (r.bottom() < top || r.top() > bottom)
                    continue;
                const qreal d = x < r.left() ? r.left() - x : x > r.right() ? x - r.right() : 0;
                room = std::min(room, 2 * d - 4);
            }
    }
    return room;
}

qreal SceneLayout::fittedScale(const QRectF &bounds, qreal aspect)
{
    // The scene's rectangle is the layout's bounds and 20 units all round (PipeScene).
    const qreal w = bounds.width() + 40, h = bounds.height() + 40;
    return std::min(std::max(aspect, 0.1) / w, 1 / h);
}

QVector<SceneLayout::Chain> SceneLayout::chainsOf(int processCount, const QVector<QPair<int, int>> &links)
{
    const int n = std::max(0, processCount);
    QVector<int> out(n, -1), in(n, -1); // the pipe leaving / entering each process
    for (int i = 0; i < links.size(); ++i) {
        const auto [from, to] = links[i];
        if (from < 1 || to < 1 || from >= n || to >= n)
            continue;
        if (from == to || out[from] >= 0 || in[to] >= 0)
            return {}; // a tee or a merge: not a row any more
        out[from] = i;
        in[to] = i;
    }
    QVector<Chain> chains;
    int linked = 0;
    for (int p = 1; p < n; ++p) {
        if (in[p] >= 0 || out[p] < 0)
            continue; // not the first stage of a chain
        Chain c;
        for (int at = p; at >= 0;) {
            c.stages.push_back(at);
            const int pipe = out[at];
            if (pipe < 0)
                break;
            c.pipes.push_back(pipe);
            at = links[pipe].second;
        }
        linked += static_cast<int>(c.pipes.size());
        chains.push_back(c);
    }
    // A cycle: every process in it has a link in, so no chain starts there and its links are left over.
    if (linked != static_cast<int>(std::count_if(out.begin(), out.end(), [](int pipe) { return pipe >= 0; })))
        return {};
    return chains;
}

SceneLayout SceneLayout::computeChains(
    int processCount, int pipeCount, const QVector<Chain> &chains, bool annexes, qreal aspect)
{
    // One row per pipeline already reads best at every aspect the stage has (16:10 to 2:1): stacking the
    // rows side by side would make them narrow and tall. The view's aspect only decides for the grid.
    Q_UNUSED(aspect)
    SceneLayout l;
    l.flow = Flow::Chain;
    const int n = std::max(0, processCount);
    const int m = std::max(0, pipeCount);
    l.nodes.resize(n);
    l.pipes.resize(m);
    l.pipeHome = QVector<int>(m, 1); // every pipe may use the tracks between rows
    l.annexes.resize(annexes ? n : 0);
    const bool compact = n >= kCompactFrom || m > kCompactFrom;
    l.nodeSize = compact ? QSizeF(kCompactNodeWidth, kCompactNodeHeight) : QSizeF(kNodeWidth, kNodeHeight);
    l.pipeSize = compact ? QSizeF(kCompactPipeWidth, kCompactPipeHeight) : QSizeF(kPipeWidth, kPipeHeight);
    if (annexes) {
        l.nodeSize.setWidth(compact ? kCompactAnnexNodeWidth : kAnnexNodeWidth);
        l.annexLines = compact ? kCompactAnnexLines : kAnnexLines;
        l.annexLineHeight = compact ? kCompactAnnexLineHeight : kAnnexLineHeight;
    }
    const qreal nodeW = l.nodeSize.width(), nodeH = l.nodeSize.height();
    const qreal pipeW = l.pipeSize.width(), pipeH = l.pipeSize.height();
    const qreal annexH = annexes ? l.annexLines * l.annexLineHeight + kAnnexPadding : 0;
    const qreal blockH = nodeH + (annexes ? kAnnexGap + annexH : 0);
    const qreal gapY = compact ? 48 : 64;
    const qreal channel = compact ? 110 : 150; // a chip travels here, between a stage and its pipe
    l.chipRoom = channel - 2 * kLane - 12;

    // The first row(s): process 0, the processes in no chain, and the pipes in no chain.
    QVector<bool> placedNode(n, false), placedPipe(m, false);
    int longest = 1;
    for (const Chain &c : chains) {
        longest = std::max(longest, static_cast<int>(c.stages.size()));
        for (const int s : c.stages)
            if (s >= 0 && s < n)
                placedNode[s] = true;
        for (const int p : c.pipes)
            if (p >= 0 && p < m)
                placedPipe[p] = true;
    }
    QVector<int> topNodes, topPipes;
    for (int i = 0; i < n; ++i)
        if (!placedNode[i])
            topNodes.push_back(i);
    for (int i = 0; i < m; ++i)
        if (!placedPipe[i])
            topPipes.push_back(i);
    const int stageColumns = std::max(longest, 2); // node columns; a pipe column stands between each two
    const int topRows
        = std::max({1, ceilDiv(topNodes.size(), stageColumns), ceilDiv(topPipes.size(), stageColumns - 1)});
    const int rows = topRows + static_cast<int>(chains.size());
    const qreal rowH = std::max(blockH, pipeH);
    const qreal pitch = rowH + gapY;
    const auto nodeX = [&](int k) { return kMargin + k * (nodeW + pipeW + 2 * channel); };
    const auto pipeX = [&](int k) { return nodeX(k) + nodeW + channel; };
    const auto nodeRect
        = [&](int row, int k) { return QRectF(nodeX(k), kMargin + row * pitch + (rowH - blockH) / 2, nodeW, nodeH); };
    // A pipe stands level with the nodes of its row (not with their cards), so its connectors stay short.
    // A compact pipe is a few pixels taller than a compact node: it reaches that far into the gap between
    // rows, far from the track in its middle.
    const auto pipeRect
        = [&](int row, int k) { return QRectF(pipeX(k), nodeRect(row, k).center().y() - pipeH / 2, pipeW, pipeH); };
    for (int k = 0; k < topNodes.size(); ++k)
        l.nodes[topNodes[k]] = nodeRect(k / stageColumns, k % stageColumns);
    for (int k = 0; k < topPipes.size(); ++k)
        l.pipes[topPipes[k]] = pipeRect(k / (stageColumns - 1), k % (stageColumns - 1));
    for (int c = 0; c < chains.size(); ++c) {
        const int row = topRows + c;
        for (int k = 0; k < chains[c].stages.size(); ++k)
            if (const int s = chains[c].stages[k]; s >= 0 && s < n)
                l.nodes[s] = nodeRect(row, k);
        for (int k = 0; k < chains[c].pipes.size(); ++k)
            if (const int p = chains[c].pipes[k]; p >= 0 && p < m)
                l.pipes[p] = pipeRect(row, k);
    }
    for (int p = 0; p < l.annexes.size(); ++p)
        l.annexes[p] = QRectF(l.nodes[p].left(), l.nodes[p].bottom() + kAnnexGap, nodeW, annexH);

    // Channels between every two columns, the same in every row, so a connector from one row to another
    // runs down a channel and along a track between rows without touching anything.
    l.m_channels.push_back(kMargin / 2);
    for (int k = 0; k < stageColumns; ++k) {
        l.m_channels.push_back(nodeX(k) + nodeW + channel / 2);
        if (k + 1 < stageColumns)
            l.m_channels.push_back(pipeX(k) + pipeW + channel / 2);
    }
    l.m_channels.back() = nodeX(stageColumns - 1) + nodeW + kMargin / 2; // the last one is the outer margin
    l.m_rowTrackLeft = l.m_channels.front();
    l.m_rowTrackRight = l.m_channels.back();
    for (int r = 1; r < rows; ++r)
        l.m_rowTracks.push_back(kMargin + r * pitch - gapY / 2);
    const qreal contentH = rows * pitch - gapY;
    l.m_topTrack = kMargin / 2;
    l.m_bottomTrack = kMargin + contentH + kMargin / 2;
    l.bounds = QRectF(0, 0, nodeX(stageColumns - 1) + nodeW + kMargin, contentH + 2 * kMargin);
    return l;
}

bool SceneLayout::hasOverlaps() const
{
    QVector<QRectF> all = nodes;
    all += pipes;
    all += annexes;
    for (int i = 0; i < all.size(); ++i) {
        for (int j = i + 1; j < all.size(); ++j) {
            if (all[i].intersects(all[j]))
                return true;
        }
    }
    return false;
}

QRectF SceneLayout::tube(const QRectF &r)
{
    return QRectF(r.left() + kTubeInset, r.top() + kTubeTop, r.width() - 2 * kTubeInset, kTubeHeight);
}

bool SceneLayout::flowsRight(int pipe, const QVector<int> &writers, const QVector<int> &readers) const
{
    auto meanX = [this](const QVector<int> &who) {
        qreal sum = 0;
        int count = 0;
        for (const int p : who)
            if (p >= 0 && p < nodes.size()) {
                sum += nodes[p].center().x();
                ++count;
            }
        return count ? sum / count : std::nan("");
    };
    const qreal wx = meanX(writers);
    const qreal rx = meanX(readers);
    if (!std::isnan(wx) && !std::isnan(rx) && std::abs(wx - rx) > 1)
        return wx < rx;
    // Only one side known: the pipe runs away from its writers (towards its readers).
    if (pipe >= 0 && pipe < pipes.size()) {
        const qreal px = pipes[pipe].center().x();
        if (!std::isnan(wx))
            return wx < px;
        if (!std::isnan(rx))
            return px < rx;
    }
    return true;
}

QPointF SceneLayout::mouth(int pipe, bool writeEnd, bool flowsRight) const
{
    const QRectF t = tube(pipes.value(pipe));
    const bool left = writeEnd == flowsRight;
    return QPointF(left ? t.left() : t.right(), t.center().y());
}

qreal SceneLayout::channelBeside(const QRectF &r, bool right) const
{
    if (right) {
        for (const qreal c : m_channels)
            if (c > r.right())
                return c;
        return r.right() + kMargin / 2;
    }
    for (auto it = m_channels.crbegin(); it != m_channels.crend(); ++it)
        if (*it < r.left())
            return *it;
    return r.left() - kMargin / 2;
}

QPolygonF SceneLayout::route(int process, int pipe, bool writeEnd, bool flowsRight) const
{
    if (process < 0 || process >= nodes.size() || pipe < 0 || pipe >= pipes.size())
        return {};
    const QRectF node = nodes[process];
    const QPointF m = mouth(pipe, writeEnd, flowsRight);
    const bool mouthLeft = writeEnd == flowsRight;
    const qreal lane = writeEnd ? -kLane : kLane;
    const qreal ve = channelBeside(pipes[pipe], !mouthLeft) + lane;
    const bool rightSide = m.x() > node.center().x();
    const qreal vs = channelBeside(node, rightSide) + lane;
    const QPointF s(
        rightSide ? node.right() : node.left(), node.center().y() + (writeEnd ? -1 : 1) * node.height() / 7);

    QPolygonF line;
    line << s << QPointF(vs, s.y());
    if (std::abs(vs - ve) >= 1) {
        // Along a track: between rows for a pipe of one process, above or below everything for a shared one.
        QVector<qreal> tracks {m_topTrack, m_bottomTrack};
        const bool shared = pipeHome.value(pipe, -1) < 1;
        const qreal lo = std::min(vs, ve), hi = std::max(vs, ve);
        if (!shared && lo >= m_rowTrackLeft - kLane - 1 && hi <= m_rowTrackRight + kLane + 1)
            tracks += m_rowTracks;
        qreal t = tracks.front();
        for (const qreal c : std::as_const(tracks))
            if (std::abs(s.y() - c) + std::abs(m.y() - c) < std::abs(s.y() - t) + std::abs(m.y() - t))
                t = c;
        t += lane;
        line << QPointF(vs, t) << QPointF(ve, t);
    }
    line << QPointF(ve, m.y()) << m;
    // Drop repeated points, so every segment has a length.
    QPolygonF clean;
    for (const QPointF &p : std::as_const(line))
        if (clean.isEmpty() || QLineF(clean.back(), p).length() > 0.01)
            clean << p;
    return clean;
}

bool SceneLayout::crossesItems(const QPolygonF &line, int exceptProcess, int exceptPipe) const
{
    return crossesItems(line, exceptProcess, exceptPipe, 1, static_cast<int>(line.size()) - 1);
}

bool SceneLayout::crossesItems(const QPolygonF &line, int exceptProcess, int exceptPipe, int first, int last) const
{
    for (int i = std::max(1, first); i <= std::min(last, static_cast<int>(line.size()) - 1); ++i) {
        const QLineF s(line[i - 1], line[i]);
        // The first segment leaves its own node and the last enters its own pipe; no other may touch them.
        for (int p = 0; p < nodes.size(); ++p)
            if ((p != exceptProcess || i > 1) && segmentHitsRect(s, nodes[p].adjusted(-1, -1, 1, 1)))
                return true;
        for (int p = 0; p < pipes.size(); ++p)
            if ((p != exceptPipe || i < line.size() - 1) && segmentHitsRect(s, pipes[p].adjusted(-1, -1, 1, 1)))
                return true;
        for (const QRectF &card : annexes)
            if (segmentHitsRect(s, card.adjusted(-1, -1, 1, 1)))
                return true;
    }
    return false;
}

qreal SceneLayout::spreadLanes(QVector<Wire> &wires) const
{
    return LaneSpreader(*this).spread(wires);
}
} // namespace pipescope
