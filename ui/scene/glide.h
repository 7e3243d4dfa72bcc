#pragma once

#include <QGraphicsItem>

#include <cmath>

namespace pipescope
{

/// Moves item a quarter of the way to target per clock tick, so a relayout
/// glides instead of jumping; true while it is still moving.
inline bool glideTowards(QGraphicsItem *item, const QPointF &target)
{
    const QPointF d = target - item->pos();
    if (std::abs(d.x()) + std::abs(d.y()) > 0.5) {
        item->setPos(item->pos() + d * 0.25);
        return true;
    }
    if (d != QPointF())
        item->setPos(target);
    return false;
}

} // namespace pipescope
