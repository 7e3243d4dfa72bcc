#include "ui/scene/wirelayer.h"

#include "ui/scene/pipeitem.h"

#include <QGraphicsScene>
#include <QLineF>

#include <algorithm>

namespace pipescope
{

void WireLayer::forget()
{
    m_wires = nullptr;
    m_cutWires = nullptr;
}

void WireLayer::draw(QGraphicsScene *scene, const std::map<std::uint64_t, PipeItem *> &pipes, const Theme &theme)
{
    // All connectors in two layers, not in every pipe: one path each, painted
    // once into a device cache, with thin lines in screen pixels and no
    // antialiasing (they are horizontal and vertical), so a frame of a 64-pipe
    // scene does not stroke a few hundred curves.
    if (!m_wires) {
        m_wires = new QGraphicsPathItem;
        m_cutWires = new QGraphicsPathItem;
        for (QGraphicsPathItem *item : {m_wires, m_cutWires}) {
            item->setZValue(0.5);
            item->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
            scene->addItem(item);
        }
    }
    QPen open(theme.connector, 2);
    open.setCosmetic(true);
    QColor faint = theme.exited;
    faint.setAlphaF(0.55);
    QPen cut(faint, 2); // solid: dashes over many lines read as noise
    cut.setCosmetic(true);
    m_wires->setPen(open);
    m_cutWires->setPen(cut);
    QPainterPath openPath, cutPath;
    for (const auto &[inode, pipe] : pipes) {
        for (const PipeItem::Connector &c : pipe->connectors()) {
            if (!c.closed) {
                openPath.addPath(c.path);
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
    m_wires->setPath(openPath);
    m_cutWires->setPath(cutPath);
}

} // namespace pipescope
