#include "ui/scene/stamp.h"

#include <QPaintEngine>
#include <QPainter>
#include <QPixmap>
#include <QPixmapCache>
#include <QTransform>

#include <cmath>

namespace pipescope
{

namespace
{
bool g_enabled = true;
/// Larger stamps (a node zoomed to fill the screen) are drawn directly: a zoom step would make a
/// new one for each frame, and filling and blitting that many pixels costs more than it saves.
constexpr qreal kMaxStampPixels = 512 * 512;
} // namespace

void Stamp::setEnabled(bool enabled)
{
    g_enabled = enabled;
}

bool Stamp::enabled()
{
    return g_enabled;
}

void Stamp::draw(
    QPainter *painter, const QString &key, const QRectF &bounds, const std::function<void(QPainter *)> &render)
{
    const QTransform world = painter->worldTransform();
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    const QRectF device = world.mapRect(bounds);
    // Only for pixels: an SVG or a printer keeps the shapes as shapes.
    const bool raster = painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::Raster;
    if (!g_enabled || !raster || world.type() > QTransform::TxScale
        || device.width() * device.height() * dpr * dpr > kMaxStampPixels || device.isEmpty()) {
        render(painter);
        return;
    }
    // Stamps land on whole pixels plus a quarter-pixel phase, which is part of their name: an item
    // is drawn at most an eighth of a pixel from where its shapes would be, and a grid of alike
    // items still shares a few stamps.
    const QPointF whole(std::floor(device.left()), std::floor(device.top()));
    const QPointF phase(
        std::round((device.left() - whole.x()) * 4) / 4, std::round((device.top() - whole.y()) * 4) / 4);
    const QString name = QStringLiteral("pipescope-stamp %1 @%2,%3,%4 +%5,%6")
                             .arg(key)
                             .arg(world.m11())
                             .arg(world.m22())
                             .arg(dpr)
                             .arg(phase.x())
                             .arg(phase.y());
    QPixmap pixmap;
    if (!QPixmapCache::find(name, &pixmap)) {
        pixmap = QPixmap(int(std::ceil(device.width() * dpr)) + 2, int(std::ceil(device.height() * dpr)) + 2);
        pixmap.setDevicePixelRatio(dpr);
        pixmap.fill(Qt::transparent);
        QPainter stamp(&pixmap);
        stamp.setRenderHints(painter->renderHints());
        const QPointF shift = phase - device.topLeft();
        stamp.setWorldTransform(world * QTransform::fromTranslate(shift.x(), shift.y()));
        render(&stamp);
        stamp.end();
        QPixmapCache::insert(name, pixmap);
    }
    painter->save();
    painter->setWorldTransform(QTransform());
    painter->drawPixmap(whole, pixmap);
    painter->restore();
}

} // namespace pipescope
