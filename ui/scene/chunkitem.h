#pragma once

#include "ui/scene/theme.h"

#include <QGraphicsItem>
#include <QPainterPath>

namespace pipescope
{

/// Bytes in flight: a box sized by its byte count, with a printable preview,
/// that travels along a path (writer to pipe, or pipe to reader) and is
/// removed when it arrives.
class ChunkItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 3 };

    ChunkItem(const Theme *theme, const QString &label, qint64 bytes, const QPainterPath &route, qint64 startMs,
        int durationMs);
    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_rect; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString label() const { return m_label; }
    /// Moves along the route; false once it has arrived.
    bool animate(qint64 nowMs);

private:
    const Theme *m_theme;
    QString m_label;
    QPainterPath m_route;
    QRectF m_rect;
    qint64 m_start;
    int m_duration;
};

} // namespace pipescope
