#pragma once

#include "ui/scene/theme.h"

#include <QGraphicsItem>
#include <QPainterPath>
#include <QPen>

#include <cstdint>
#include <map>

class QGraphicsScene;

namespace pipescope
{

class PipeItem;

/// Every connector of every pipe, drawn as one cached item rather than one
/// item per line: open connectors, connectors of closed ends (faint, stopping
/// short of the pipe), and arrowheads that show which way the bytes go (into a
/// pipe's write end, out of its read end into the reader). One item, because
/// each cached item is a pixmap the size of what it covers, and these cover
/// the whole scene: three of them cost three screen-sized fills and blends on
/// every zoom. The item belongs to the scene.
class WireLayer
{
public:
    /// Redraws every connector of pipes in scene (adding its items to scene the first time).
    void draw(QGraphicsScene *scene, const std::map<std::uint64_t, PipeItem *> &pipes, const Theme &theme);
    /// The scene deleted every item (QGraphicsScene::clear): forget them.
    void forget();
    bool exists() const { return m_item != nullptr; }
    /// Shows or hides every connector (while items glide to a new layout).
    void setVisible(bool visible);
    bool isVisible() const { return m_item && m_item->isVisible(); }
    /// What the connectors and arrowheads cover, in scene coordinates (empty before the first draw).
    QRectF bounds() const { return m_item ? m_item->boundingRect() : QRectF(); }
    /// The arrowheads drawn (for tests: one at the end of every open connector, more on long ones).
    QPainterPath arrows() const;

    /// The scene item that paints them.
    class Item : public QGraphicsItem
    {
    public:
        Item();
        QRectF boundingRect() const override;
        void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
        void set(const QPainterPath &open, const QPainterPath &cut, const QPainterPath &arrows, const QPen &openPen,
            const QPen &cutPen, const QColor &arrowColour);
        const QPainterPath &arrows() const { return m_arrows; }

    private:
        QPainterPath m_open; ///< every open connector
        QPainterPath m_cut; ///< connectors of closed ends, faint and stopping short
        QPainterPath m_arrows; ///< filled arrowheads on open connectors
        QPen m_openPen;
        QPen m_cutPen;
        QColor m_arrowColour;
        QRectF m_bounds;
    };

private:
    Item *m_item = nullptr;
};

} // namespace pipescope
