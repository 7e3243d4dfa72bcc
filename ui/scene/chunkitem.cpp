#include "ui/scene/chunkitem.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace pipescope
{

ChunkItem::ChunkItem(
    const Theme *theme, const QString &label, qint64 bytes, const QPainterPath &route, qint64 startMs, int durationMs)
    : m_theme(theme), m_label(label), m_route(route), m_start(startMs), m_duration(std::max(1, durationMs))
{
    setZValue(3);
    // It only moves and fades: paint the box once, then blit it along the route.
    setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    // Height grows with the logarithm of the size: 1 byte and 1 GiB both stay on screen.
    const qreal h = std::clamp(30.0 + 2.2 * std::log2(static_cast<double>(std::max<qint64>(1, bytes))), 34.0, 80.0);
    const QFontMetricsF fm(theme->font(theme->smallPt, true));
    const qreal w = std::min<qreal>(300, fm.horizontalAdvance(label) + 24);
    m_rect = QRectF(-w / 2, -h / 2, w, h);
    setPos(route.pointAtPercent(0));
}

bool ChunkItem::animate(qint64 nowMs)
{
    const qreal t = std::clamp(static_cast<qreal>(nowMs - m_start) / m_duration, 0.0, 1.0);
    // Ease in and out, so the eye can follow the start and the arrival.
    const qreal eased = t * t * (3 - 2 * t);
    setPos(m_route.pointAtPercent(eased));
    setOpacity(t > 0.85 ? (1 - t) / 0.15 : 1.0);
    return t < 1.0;
}

void ChunkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Theme &t = *m_theme;
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(t.text, 2));
    painter->setBrush(t.chunk);
    painter->drawRoundedRect(m_rect, 8, 8);
    if (t.smallPt * lod * 96.0 / 72.0 < 7)
        return; // too small to read
    painter->setPen(t.chunkText);
    painter->setFont(t.font(t.smallPt, true));
    painter->drawText(m_rect.adjusted(8, 0, -8, 0), Qt::AlignCenter, m_label);
}

} // namespace pipescope
