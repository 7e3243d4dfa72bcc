#pragma once

#include <QRectF>
#include <QString>

#include <functional>

class QPainter;

namespace pipescope
{

/// Draws a shape through a pixmap shared by every item that draws the same shape at the same scale.
/// A zoom or a fit repaints every item, and each antialiased fill costs far more to set up than to
/// blit: the 64 alike nodes of a large `select` cost one rendering and 64 blits. Only for shapes
/// without text (text stays sharp and per item) and only where the painter scales and translates.
class Stamp
{
public:
    /// Paints what `render` draws inside `bounds` (item coordinates), via the pixmap named `key`
    /// (which must name everything the drawing depends on) at the painter's scale, at most an eighth
    /// of a device pixel from where the shapes themselves would be.
    static void draw(
        QPainter *painter, const QString &key, const QRectF &bounds, const std::function<void(QPainter *)> &render);
    /// Off: every shape is drawn directly (to compare the two pictures, and the two costs).
    static void setEnabled(bool enabled);
    static bool enabled();
};

} // namespace pipescope
