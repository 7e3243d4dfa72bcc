#include "ui/scene/wirelayer.h"

#include "ui/scene/pipeitem.h"

#include <QGraphicsScene>
#include <QLineF>
#include <QPainter>

#include <algorithm>

namespace pipescope
{

namespace
{

constexpr qreal kHeadLength = 18; ///< big enough to see from the back row
constexpr qreal kHeadHalfWidth = 9;
constexpr qreal kLongSegment = 150; ///< a segment this long gets an arrowhead in its middle too

/// A filled arrowhead with its tip at tip, pointing away from from.
void addHead(QPainterPath &out, const QPointF &from, const QPointF &tip, qreal length, qreal halfWidth)
{
    const QLineF line(tip, from);
    if (line.length() < 0.5)
        return;
    const QPointF back = line.unitVector().p2() - tip; // unit vector towards from
    const QPointF side(-back.y(), back.x());
    const QPointF base = tip + back * length;
    out.addPolygon(QPolygonF {tip, base + side * halfWidth, base - side * halfWidth, tip});
    out.closeSubpath();
}

/// Arrowheads on one open connector; path runs from the node to the pipe.
void addHeads(QPainterPath &out, const QPainterPath &path, bool writeEnd)
{
    const int n = path.elementCount();
    if (n < 2)
        return;
    auto at = [&path](int i) { return QPointF(path.elementAt(i)); };
    if (writeEnd) { // into the pipe: the tip stops at the pipe's end bar
        const QLineF last(at(n - 1), at(n - 2));
        addHead(out, at(n - 2), last.pointAt(std::min<qreal>(0.5, 12 / std::max<qreal>(1, last.length()))), kHeadLength,
            kHeadHalfWidth);
    } else // out of the pipe into the reader: the tip touches the node
        addHead(out, at(1), at(0), kHeadLength, kHeadHalfWidth);
    // The middle of the longest segment, so a long line says its direction away from its ends too.
    int longest = 1;
    for (int i = 2; i < n; ++i)
        if (QLineF(at(i - 1), at(i)).length() > QLineF(at(longest - 1), at(longest)).length())
            longest = i;
    const QLineF seg(at(longest - 1), at(longest));
    if (seg.length() >= kLongSegment) {
        const QPointF mid = seg.pointAt(0.5);
        const QPointF towards = writeEnd ? seg.p2() : seg.p1();
        const QPointF dir = (towards - mid) / (seg.length() / 2);
        addHead(out, mid, mid + dir * (kHeadLength * 0.4), kHeadLength * 0.8, kHeadHalfWidth * 0.8);
    }
}

} // namespace

WireLayer::Item::Item()
{
    setZValue(0.5);
    setCacheMode(QGraphicsItem::DeviceCoordinateCache);
}

QRectF WireLayer::Item::boundingRect() const
{
    return m_bounds;
}

void WireLayer::Item::set(const QPainterPath &open, const QPainterPath &cut, const QPainterPath &arrows,
    const QPen &openPen, const QPen &cutPen, const QColor &arrowColour)
{
    prepareGeometryChange();
    m_open = open;
    m_cut = cut;
    m_arrows = arrows;
    m_openPen = openPen;
    m_cutPen = cutPen;
    m_arrowColour = arrowColour;
    // Pens are cosmetic (2 px on screen); a margin of a few scene units covers them at any zoom that shows them.
    m_bounds = (m_open.boundingRect() | m_cut.boundingRect() | m_arrows.boundingRect()).adjusted(-4, -4, 4, 4);
    update();
}

void WireLayer::Item::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    // Lines are horizontal and vertical: no antialiasing; the arrowheads are slanted and keep it.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(m_cutPen);
    painter->drawPath(m_cut);
    painter->setPen(m_openPen);
    painter->drawPath(m_open);
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_arrowColour);
    painter->drawPath(m_arrows);
}

void WireLayer::setVisible(bool visible)
{
    if (m_item)
        m_item->setVisible(visible);
}

void WireLayer::forget()
{
    m_item = nullptr;
}

QPainterPath WireLayer::arrows() const
{
    return m_item ? m_item->arrows() : QPainterPath();
}

void WireLayer::draw(QGraphicsScene *scene, const std::map<std::uint64_t, PipeItem *> &pipes, const Theme &theme)
{
    // All connectors in one item, not in every pipe: painted once into a device cache, with
    // thin lines in screen pixels, so a frame of a 64-pipe scene does not stroke a few hundred lines.
    if (!m_item) {
        m_item = new Item;
        scene->addItem(m_item);
    }
    QPen open(theme.connector, 2);
    open.setCosmetic(true);
    QColor faint = theme.exited;
    faint.setAlphaF(0.55);
    QPen cut(faint, 2); // solid: dashes over many lines read as noise
    cut.setCosmetic(true);
    QPainterPath openPath, cutPath, arrowPath;
    arrowPath.setFillRule(Qt::WindingFill); // heads of several connectors on one spot must not cancel out
    for (const auto &[inode, pipe] : pipes) {
        for (const PipeItem::Connector &c : pipe->connectors()) {
            if (!c.closed) {
                openPath.addPath(c.path);
                addHeads(arrowPath, c.path, c.writeEnd);
                continue;
            }
            // Closed: the line keeps the picture's shape but stops short of the pipe, whose end is cut off.
            qreal left = std::max<qreal>(0, c.path.length() - 36);
            QPainterPath stub;
            stub.moveTo(c.path.elementAt(0));
            for (int i = 1; i < c.path.elementCount() && left > 0; ++i) {
                const QLineF seg(c.path.elementAt(i - 1), c.path.elementAt(i));
                stub.lineTo(seg.pointAt(std::min<qreal>(1, left / std::max<qreal>(seg.length(), 0.01))));
                left -= seg.length();
            }
            cutPath.addPath(stub);
        }
    }
    m_item->set(openPath, cutPath, arrowPath, open, cut, theme.connector);
}

} // namespace pipescope
