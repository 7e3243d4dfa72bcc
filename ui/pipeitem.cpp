#include "pipeitem.h"

#include "units.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace pipescope
{

namespace
{
constexpr qreal kLabelH = 34;
constexpr qreal kTubeH = 52;
} // namespace

PipeItem::PipeItem(const Theme *theme, const QSizeF &size) : m_theme(theme), m_size(size)
{
    setZValue(1);
    m_bounds = QRectF(QPointF(-8, -48), m_size + QSizeF(16, 56));
}

QRectF PipeItem::boundingRect() const
{
    return m_bounds;
}

QRectF PipeItem::tube() const
{
    return QRectF(14, kLabelH, m_size.width() - 28, kTubeH);
}

void PipeItem::update(const PipeInfo &info, int openWriteEnds, int openReadEnds, double rate)
{
    m_inode = info.inode;
    m_capacity = info.capacity;
    m_written = info.written;
    m_read = info.read;
    m_eof = info.eofSeen;
    m_rate = rate;
    m_writeClosed = openWriteEnds == 0;
    m_readClosed = openReadEnds == 0;
    m_lowerBound = info.externalReader || info.externalWriter;
    QGraphicsItem::update();
}

void PipeItem::setFlowsRight(bool right)
{
    if (m_flowsRight != right) {
        m_flowsRight = right;
        QGraphicsItem::update();
    }
}

void PipeItem::setConnectors(const QVector<Connector> &connectors)
{
    prepareGeometryChange();
    m_connectors = connectors;
    m_openPaths.clear();
    m_cutPaths.clear();
    QRectF b(QPointF(-8, -48), m_size + QSizeF(16, 56));
    // Paths are mapped and cut once here, not in every frame: with 64 processes
    // there are a few hundred of them, and dashing long curves per frame was the
    // largest cost of a frame.
    for (const Connector &c : connectors) {
        const QPainterPath local = mapFromScene(c.path);
        b = b.united(local.boundingRect().adjusted(-6, -6, 6, 6));
        if (!c.closed) {
            m_openPaths.push_back(local);
            continue;
        }
        // Closed: the whole line stays (faint) so the picture keeps its shape, but
        // it stops short of the pipe, whose end is drawn cut off.
        QPainterPath stub;
        stub.moveTo(local.pointAtPercent(0));
        for (int i = 1; i <= 16; ++i)
            stub.lineTo(local.pointAtPercent(0.86 * i / 16));
        m_cutPaths.push_back(stub);
    }
    m_bounds = b;
}

QPointF PipeItem::mouth(bool writeEnd) const
{
    const QRectF t = tube();
    const bool left = writeEnd == m_flowsRight;
    return mapToScene(QPointF(left ? t.left() : t.right(), t.center().y()));
}

QPointF PipeItem::fillFront() const
{
    const QRectF t = tube();
    const qreal len = t.width() * (1 - m_shownFill);
    return mapToScene(QPointF(m_flowsRight ? t.left() + len : t.right() - len, t.center().y()));
}

void PipeItem::flash(const QString &text, qint64 expiresMs)
{
    m_mark = text;
    m_markExpires = expiresMs;
    m_markAlpha = 1;
    QGraphicsItem::update();
}

void PipeItem::setTarget(const QPointF &pos, bool jump)
{
    m_target = pos;
    if (jump)
        setPos(pos);
}

bool PipeItem::animate(qint64 nowMs)
{
    bool moving = false;
    const QPointF d = m_target - pos();
    if (std::abs(d.x()) + std::abs(d.y()) > 0.5) {
        setPos(pos() + d * 0.25);
        moving = true;
    } else if (d != QPointF()) {
        setPos(m_target);
    }
    const qreal fill = m_capacity > 0 ? std::min<qreal>(1.0, static_cast<qreal>(inBuffer()) / m_capacity) : 0;
    if (std::abs(fill - m_shownFill) > 0.002) {
        m_shownFill += (fill - m_shownFill) * 0.3;
        QGraphicsItem::update();
        moving = true;
    } else if (fill != m_shownFill) {
        m_shownFill = fill;
        QGraphicsItem::update();
    }
    if (!m_mark.isEmpty()) {
        const qint64 left = m_markExpires - nowMs;
        if (left <= 0) {
            m_mark.clear();
            QGraphicsItem::update();
        } else {
            const qreal alpha = std::min<qreal>(1.0, left / 400.0);
            if (std::abs(alpha - m_markAlpha) > 0.02) {
                m_markAlpha = alpha;
                QGraphicsItem::update();
            }
            moving = true;
        }
    }
    return moving;
}

void PipeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Theme &t = *m_theme;
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());

    // Connectors first, so they run under the tube and the nodes.
    painter->setBrush(Qt::NoBrush);
    // Cosmetic pens (width in screen pixels): stroking wide scaled curves is what
    // made a 64-process frame slow; a thin line in screen pixels costs little.
    QPen open(t.connector, 2.5);
    open.setCosmetic(true);
    painter->setPen(open);
    for (const QPainterPath &path : std::as_const(m_openPaths))
        painter->drawPath(path);
    QColor faint = t.exited;
    faint.setAlphaF(0.5);
    QPen cut(faint, 1.5);
    cut.setCosmetic(true);
    painter->setPen(cut);
    for (const QPainterPath &path : std::as_const(m_cutPaths))
        painter->drawPath(path);

    const QRectF tb = tube();
    // The buffer: fill anchored at the read end, where the oldest bytes wait.
    painter->setPen(Qt::NoPen);
    painter->setBrush(t.nodeFill);
    painter->drawRoundedRect(tb, kTubeH / 2, kTubeH / 2);
    if (m_shownFill > 0) {
        const qreal w = std::max<qreal>(kTubeH / 2, tb.width() * m_shownFill);
        const QRectF fill = m_flowsRight ? QRectF(tb.right() - w, tb.top(), w, tb.height())
                                         : QRectF(tb.left(), tb.top(), w, tb.height());
        painter->setBrush(t.pipeFill);
        painter->drawRoundedRect(fill, kTubeH / 2, kTubeH / 2);
    }
    painter->setPen(QPen(t.pipeBody, 4));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(tb, kTubeH / 2, kTubeH / 2);

    // Ends: a bar for an open end, a zigzag cut for an end every process has closed.
    for (const bool writeEnd : {true, false}) {
        const bool left = writeEnd == m_flowsRight;
        const qreal x = left ? tb.left() - 10 : tb.right() + 10;
        const bool closed = writeEnd ? m_writeClosed : m_readClosed;
        if (closed) {
            QPainterPath zig;
            const qreal dx = left ? -8 : 8;
            zig.moveTo(x, tb.top() - 6);
            for (int i = 1; i <= 6; ++i)
                zig.lineTo(x + (i % 2 ? dx : 0), tb.top() - 6 + i * (kTubeH + 12) / 6);
            painter->setPen(QPen(t.blocked, 4));
            painter->drawPath(zig);
        } else {
            painter->setPen(QPen(t.pipeBody, 6, Qt::SolidLine, Qt::RoundCap));
            painter->drawLine(QPointF(x, tb.top() + 4), QPointF(x, tb.bottom() - 4));
        }
    }
    if (lod < 0.35)
        return;

    painter->setPen(t.text);
    painter->setFont(t.font(t.bodyPt, true));
    painter->drawText(QRectF(tb.left(), 0, tb.width(), kLabelH - 4), Qt::AlignLeft | Qt::AlignVCenter,
        QStringLiteral("pipe:[%1]").arg(m_inode));
    painter->setPen(t.text);
    painter->setFont(t.font(t.bodyPt, true));
    painter->drawText(tb, Qt::AlignCenter,
        QStringLiteral("%1 / %2%3")
            .arg(Units::bytes(inBuffer()), Units::bytes(m_capacity),
                m_lowerBound ? QStringLiteral(" (at least)") : QString()));

    painter->setFont(t.font(t.smallPt));
    painter->setPen(t.mutedText);
    QString line = QStringLiteral("wrote %1 \u00b7 read %2").arg(Units::bytes(m_written), Units::bytes(m_read));
    if (m_rate > 0)
        line += QStringLiteral(" \u00b7 %1").arg(Units::rate(m_rate));
    else if (m_eof)
        line += QStringLiteral(" \u00b7 EOF seen");
    painter->drawText(QRectF(0, tb.bottom() + 4, m_size.width(), m_size.height() - tb.bottom() - 4),
        Qt::AlignHCenter | Qt::AlignTop, line);

    if (!m_mark.isEmpty()) {
        painter->setOpacity(m_markAlpha);
        painter->setFont(t.font(t.bodyPt, true));
        const QFontMetricsF fm(painter->font());
        const qreal w = fm.horizontalAdvance(m_mark) + 24;
        const QPointF at = m_flowsRight ? QPointF(tb.right() - w + 10, -44) : QPointF(tb.left() - 10, -44);
        const QRectF bubble(at, QSizeF(w, 38));
        painter->setPen(QPen(t.markText, 2));
        painter->setBrush(t.mark);
        painter->drawRoundedRect(bubble, 10, 10);
        painter->drawText(bubble, Qt::AlignCenter, m_mark);
        painter->setOpacity(1);
    }
}

} // namespace pipescope
