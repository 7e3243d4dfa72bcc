#pragma once

#include <QGraphicsView>
#include <QTimer>

namespace pipescope
{

/// Shows the scene; zooms and pans, nothing else. It fits the whole scene
/// until the user zooms, and again after fitAll(). When its shape settles after
/// a resize it tells a PipeScene, which lays its items out for that shape.
class SceneView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit SceneView(QWidget *parent = nullptr);

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    /// Shows everything and follows layout changes again.
    void fitAll();
    /// Refits when the user has not zoomed by hand.
    void sceneBoundsChanged(const QRectF &bounds);
    /// Keeps the top or bottom strip of this many pixels free of the scene (a card lies there,
    /// the quiz's question): the scene is drawn, and fitted, in the rest. 0, 0: all of it again.
    void setReservedEdges(int top, int bottom);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void zoomBy(qreal factor);
    /// Tells a PipeScene the viewport's size (after resizes settle: a dragged edge relays out once).
    void tellShape();
    bool m_following = true;
    QTimer m_shapeSettled;
};

} // namespace pipescope
