#include "ui/scene/sceneview.h"

#include "ui/scene/pipescene.h"

#include <QWheelEvent>

#include <algorithm>

namespace pipescope
{

SceneView::SceneView(QWidget *parent) : QGraphicsView(parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    m_shapeSettled.setSingleShot(true);
    m_shapeSettled.setInterval(150);
    connect(&m_shapeSettled, &QTimer::timeout, this, &SceneView::tellShape);
}

void SceneView::tellShape()
{
    if (auto *pipes = qobject_cast<PipeScene *>(scene()))
        pipes->setViewSize(viewport()->size());
}

void SceneView::zoomBy(qreal factor)
{
    const qreal current = transform().m11();
    if ((factor > 1 && current > 8) || (factor < 1 && current < 0.05))
        return;
    m_following = false;
    scale(factor, factor);
}

void SceneView::zoomIn()
{
    zoomBy(1.25);
}

void SceneView::zoomOut()
{
    zoomBy(0.8);
}

void SceneView::fitAll()
{
    m_following = true;
    if (scene())
        fitInView(sceneRect(), Qt::KeepAspectRatio);
}

void SceneView::setReservedEdges(int top, int bottom)
{
    const QMargins margins(0, std::max(0, top), 0, std::max(0, bottom));
    if (margins == viewportMargins())
        return;
    setViewportMargins(margins);
    if (m_following)
        fitAll();
    m_shapeSettled.start();
}

void SceneView::sceneBoundsChanged(const QRectF &)
{
    if (m_following)
        fitAll();
}

void SceneView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void SceneView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_following)
        fitAll();
    m_shapeSettled.start();
}

} // namespace pipescope
