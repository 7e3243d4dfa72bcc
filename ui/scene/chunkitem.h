#pragma once

#include "ui/scene/theme.h"

#include <QGraphicsItem>
#include <QPainterPath>

namespace pipescope
{

/// Bytes in flight: a small box on a connector, with its byte count and, when
/// there is room, a preview of the bytes. It travels along the connector
/// (writer to pipe, or pipe to reader) without entering the node or the pipe
/// at either end, so it never covers their text, and is removed on arrival.
class ChunkItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 3 };

    /// preview may be empty; maxWidth is the room beside the connector (a channel's width).
    ChunkItem(const Theme *theme, const QString &preview, const QString &amount, qint64 bytes,
        const QPainterPath &route, qint64 startMs, int durationMs, qreal maxWidth);
    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_rect; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    /// Everything it says, on one line ("\"hello\" 20 B +3").
    QString label() const;
    /// More transfers on the same connector than chips are drawn: this chip stands for them too ("+3").
    void addMore(int transfers);
    int more() const { return m_more; }
    /// Where on the route it starts and stops (it keeps clear of the items at both ends).
    QPointF startPoint() const { return m_route.pointAtPercent(m_from); }
    QPointF endPoint() const { return m_route.pointAtPercent(m_to); }
    /// Moves along the route; false once it has arrived.
    bool animate(qint64 nowMs);

private:
    void layoutText(bool withPreview);
    void fitToRoute();

    const Theme *m_theme;
    QString m_preview;
    QString m_amount;
    QStringList m_lines;
    int m_more = 0;
    qreal m_maxWidth;
    qreal m_minHeight;
    QPainterPath m_route;
    qreal m_from = 0; ///< percent of the route where it starts
    qreal m_to = 1;
    QRectF m_rect;
    qint64 m_start;
    int m_duration;
};

} // namespace pipescope
