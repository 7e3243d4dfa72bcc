#pragma once

#include "ui/scene/theme.h"

#include <QGraphicsPathItem>

#include <cstdint>
#include <map>

class QGraphicsScene;

namespace pipescope
{

class PipeItem;

/// Every connector of every pipe, drawn as a few cached path items rather
/// than one item per line: open connectors, connectors of closed ends (faint,
/// stopping short of the pipe), and arrowheads that show which way the bytes
/// go (into a pipe's write end, out of its read end into the reader). The
/// items belong to the scene.
class WireLayer
{
public:
    /// Redraws every connector of pipes in scene (adding its items to scene the first time).
    void draw(QGraphicsScene *scene, const std::map<std::uint64_t, PipeItem *> &pipes, const Theme &theme);
    /// The scene deleted every item (QGraphicsScene::clear): forget them.
    void forget();
    bool exists() const { return m_wires != nullptr; }
    /// The arrowheads drawn (for tests: one at the end of every open connector, more on long ones).
    QPainterPath arrows() const;

private:
    QGraphicsPathItem *m_wires = nullptr; ///< every open connector, one cached layer
    QGraphicsPathItem *m_cutWires = nullptr; ///< connectors of closed ends, faint and stopping short
    QGraphicsPathItem *m_arrows = nullptr; ///< filled arrowheads on open connectors
};

} // namespace pipescope
