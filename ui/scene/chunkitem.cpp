#include "ui/scene/chunkitem.h"

#include "ui/scene/scenelayout.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace pipescope
{

namespace
{
constexpr qreal kPad = 8; ///< text to the box's edge
constexpr qreal kClear = 6 + SceneLayout::kTubeInset; ///< past the end bar of a pipe, or off a node's side
} // namespace

ChunkItem::ChunkItem(const Theme *theme, const QString &preview, const QString &amount, qint64 bytes,
    const QPainterPath &route, qint64 startMs, int durationMs, qreal maxWidth)
    : m_theme(theme),
      m_preview(preview),
      m_amount(amount),
      m_maxWidth(std::max<qreal>(40, maxWidth)),
      m_route(route),
      m_start(startMs),
      m_duration(std::max(1, durationMs))
{
    setZValue(3);
    // It only moves and fades: paint the box once, then blit it along the route.
    setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    // A little taller for more bytes (logarithmic: 1 byte and 1 GiB both stay small).
    m_minHeight = std::clamp(22.0 + 0.8 * std::log2(static_cast<double>(std::max<qint64>(1, bytes))), 24.0, 40.0);
    fitToRoute();
    setPos(startPoint());
}

QString ChunkItem::label() const
{
    return m_lines.join(QLatin1Char(' '));
}

void ChunkItem::addMore(int transfers)
{
    m_more += transfers;
    prepareGeometryChange();
    // A wider label needs more room at both ends, or it would reach over the node or the pipe it left.
    fitToRoute();
    update();
}

void ChunkItem::fitToRoute()
{
    // Keep clear of both ends: the route starts on a node's side and ends at a pipe's mouth (or the reverse).
    const qreal length = m_route.length();
    const auto clear = [this] { return std::max(m_rect.width(), m_rect.height()) / 2 + kClear; };
    layoutText(true);
    if (length <= 2 * clear())
        layoutText(false); // a short connector carries the amount alone
    // Wider than the room beside its connector (a narrow outer channel): it would cover the item next to it.
    const bool fitsBeside = m_rect.width() <= m_maxWidth + 0.5;
    if (fitsBeside && length > 2 * clear()) {
        m_from = m_route.percentAtLength(clear());
        m_to = m_route.percentAtLength(length - clear());
        setVisible(true);
    } else {
        // Not even the amount fits between the ends (or beside them): a chip over a node's text would hide
        // more than it shows.
        m_from = m_to = 0.5;
        setVisible(false);
    }
}

void ChunkItem::layoutText(bool withPreview)
{
    const QFontMetricsF fm(m_theme->font(m_theme->smallPt, true));
    const QString amount = m_more > 0 ? QStringLiteral("%1 +%2").arg(m_amount).arg(m_more) : m_amount;
    const qreal room = m_maxWidth - 2 * kPad;
    const QString preview = withPreview ? m_preview : QString();
    const QString oneLine = preview.isEmpty() ? amount : preview + QLatin1Char(' ') + amount;
    m_lines.clear();
    if (fm.horizontalAdvance(oneLine) <= room) {
        m_lines << oneLine;
    } else {
        // The amount is never cut; a preview that does not fit is shortened, or left out in a narrow channel.
        const QString shortPreview = fm.elidedText(preview, Qt::ElideRight, room);
        if (!preview.isEmpty() && room >= 90 && shortPreview.size() > 3)
            m_lines << shortPreview;
        m_lines << amount;
    }
    qreal w = 0;
    for (const QString &line : std::as_const(m_lines))
        w = std::max(w, fm.horizontalAdvance(line));
    w += 2 * kPad;
    const qreal h = std::max(m_minHeight, m_lines.size() * fm.height() + 6);
    m_rect = QRectF(-w / 2, -h / 2, w, h);
}

bool ChunkItem::animate(qint64 nowMs)
{
    const qreal t = std::clamp(static_cast<qreal>(nowMs - m_start) / m_duration, 0.0, 1.0);
    // Ease in and out, so the eye can follow the start and the arrival.
    const qreal eased = t * t * (3 - 2 * t);
    setPos(m_route.pointAtPercent(m_from + (m_to - m_from) * eased));
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
    painter->drawText(m_rect.adjusted(kPad / 2, 0, -kPad / 2, 0), Qt::AlignCenter, m_lines.join(QLatin1Char('\n')));
}

} // namespace pipescope
