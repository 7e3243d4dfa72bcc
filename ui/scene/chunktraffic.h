#pragma once

#include "ui/scene/theme.h"

#include <QPainterPath>
#include <QString>

#include <vector>

class QGraphicsScene;

namespace pipescope
{

class ChunkItem;

/// The data chips in flight: spawns them on a route, moves them every frame
/// and removes them when they arrive. Chips belong to the scene.
class ChunkTraffic
{
public:
    /// Beyond this the eye cannot follow anyway; keeps frames cheap.
    static constexpr int kMaxChunks = 48;

    /// A chip with label travelling route from nowMs for durationMs (none for a route of one point).
    void spawn(QGraphicsScene *scene, const Theme *theme, const QString &label, qint64 bytes, const QPainterPath &route,
        qint64 nowMs, int durationMs);
    /// Moves every chip; true while any is still travelling.
    bool advance(qint64 nowMs);
    /// The scene deleted every item (QGraphicsScene::clear): forget them.
    void forget() { m_chunks.clear(); }
    int count() const { return static_cast<int>(m_chunks.size()); }
    const std::vector<ChunkItem *> &chunks() const { return m_chunks; }

private:
    std::vector<ChunkItem *> m_chunks;
};

} // namespace pipescope
