#include "ui/scene/lanespreader.h"

#include <algorithm>
#include <cmath>

namespace pipescope
{

int LaneSpreader::bin(qreal v)
{
    return static_cast<int>(std::floor(v / SceneLayout::kLaneSpacing));
}

int LaneSpreader::clashes(const QLineF &c, qint64 bus) const
{
    const bool horizontal = std::abs(c.dy()) < 0.01;
    const bool vertical = std::abs(c.dx()) < 0.01;
    if (!horizontal && !vertical)
        return 0;
    const auto &bins = horizontal ? m_rows : m_columns;
    const int at = bin(horizontal ? c.y1() : c.x1());
    int count = 0;
    for (int b = at - 1; b <= at + 1; ++b) {
        const auto it = bins.find(b);
        if (it == bins.end())
            continue;
        for (const int k : it->second) {
            const Placed &p = m_placed[k];
            if (p.bus == bus)
                continue;
            const QLineF &o = p.line;
            qreal apart = 0, overlap = 0;
            if (horizontal) {
                apart = std::abs(c.y1() - o.y1());
                overlap = std::min(std::max(c.x1(), c.x2()), std::max(o.x1(), o.x2()))
                    - std::max(std::min(c.x1(), c.x2()), std::min(o.x1(), o.x2()));
            } else {
                apart = std::abs(c.x1() - o.x1());
                overlap = std::min(std::max(c.y1(), c.y2()), std::max(o.y1(), o.y2()))
                    - std::max(std::min(c.y1(), c.y2()), std::min(o.y1(), o.y2()));
            }
            if (apart < SceneLayout::kLaneSpacing - 0.5 && overlap > 2)
                ++count;
        }
    }
    return count;
}

int LaneSpreader::clashesOf(const QPolygonF &line, qint64 bus) const
{
    int count = 0;
    for (int i = 1; i < line.size(); ++i)
        count += clashes(QLineF(line[i - 1], line[i]), bus);
    return count;
}

void LaneSpreader::place(const QPolygonF &line, qint64 bus)
{
    for (int i = 1; i < line.size(); ++i) {
        const QLineF seg(line[i - 1], line[i]);
        if (std::abs(seg.dy()) < 0.01)
            m_rows[bin(seg.y1())].push_back(static_cast<int>(m_placed.size()));
        else if (std::abs(seg.dx()) < 0.01)
            m_columns[bin(seg.x1())].push_back(static_cast<int>(m_placed.size()));
        m_placed.push_back({seg, bus});
    }
}

qreal LaneSpreader::spread(QVector<SceneLayout::Wire> &wires)
{
    qreal largest = 0;
    const SceneLayout &l = m_layout;
    for (SceneLayout::Wire &w : wires) {
        QPolygonF &line = w.line;
        // Every segment but the last (into the mouth, where the bus joins) may move sideways.
        for (int i = 1; i + 1 < line.size(); ++i) {
            if (clashes(QLineF(line[i - 1], line[i]), w.bus) == 0)
                continue;
            const bool horizontal = std::abs(line[i].y() - line[i - 1].y()) < 0.01;
            QPolygonF bestLine = line;
            int bestClashes = clashesOf(line, w.bus);
            qreal bestShift = 0;
            for (int step = 1; step <= SceneLayout::kMaxLaneSteps && bestClashes > 0; ++step) {
                for (const int sign : {1, -1}) {
                    const qreal d = sign * step * SceneLayout::kLaneSpacing;
                    QPolygonF moved = line;
                    for (const int k : {i - 1, i})
                        (horizontal ? moved[k].ry() : moved[k].rx()) += d;
                    // The first segment leaves its node's side: the start stays on that side, clear of the corners.
                    if (i == 1 && w.process >= 0 && w.process < l.nodes.size()) {
                        const QRectF node = l.nodes[w.process];
                        if (!horizontal || moved[0].y() < node.top() + 12 || moved[0].y() > node.bottom() - 12)
                            continue;
                    }
                    // Only segments i - 1 to i + 1 changed.
                    if (l.crossesItems(moved, w.process, w.pipe, i - 1, i + 1)
                        || !l.bounds.contains(moved.boundingRect()))
                        continue;
                    const int c = clashesOf(moved, w.bus);
                    if (c < bestClashes) {
                        bestClashes = c;
                        bestLine = moved;
                        bestShift = std::abs(d);
                        if (c == 0)
                            break;
                    }
                }
            }
            line = bestLine;
            largest = std::max(largest, bestShift);
        }
        place(line, w.bus);
    }
    return largest;
}

} // namespace pipescope
