#pragma once

#include <QByteArray>
#include <QRect>

class QWidget;

namespace pipescope
{

/// Keeps a top-level window on the screen it is on: a projector at 1024x768
/// must never get a window (or a restored geometry) made for a 1920x1080 desk.
/// The arithmetic is plain and tested without widgets; fit() applies it.
class ScreenFit
{
public:
    /// The frame (outer) rectangle moved and shrunk so that it lies inside available.
    static QRect clamp(const QRect &frame, const QRect &available);
    /// The size a first start opens with: 1600x900, or 90% of a smaller screen.
    static QSize defaultSize(const QRect &available);
    /// The available geometry of the screen window is on (its centre's screen; else the primary);
    /// empty on the offscreen platform, which has no display to fit.
    static QRect availableFor(const QWidget *window);
    /// Moves and shrinks window (a top level, shown or not, not full screen) into available
    /// (nothing when available is empty).
    static void fitInto(QWidget *window, const QRect &available);
    /// fitInto() the screen window is on.
    static void fit(QWidget *window);
    /// Restores a saved geometry, checked against available: a window saved on a larger
    /// screen comes back inside this one; unreadable bytes give the default size. True when restored.
    static bool restore(QWidget *window, const QByteArray &saved, const QRect &available);
};

} // namespace pipescope
