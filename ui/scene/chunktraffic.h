#pragma once

#include "ui/scene/theme.h"

#include <QPainterPath>
#include <QString>

#include <vector>

class QGraphicsScene;

namespace pipescope
{

class ChunkItem;

/// The data chips in flight: spawns them on a connector, moves them every
/// frame and removes them when they arrive. A connector carries at most a few
/// chips at once; further transfers on it are counted on its newest chip
/// ("+12") instead of piling up. Chips belong to the scene.
class ChunkTraffic
{
public:
    /// Beyond this the eye cannot follow anyway; keeps frames cheap.
    static constexpr int kMaxChunks = 48;
    /// Chips in flight on one connector (one pipe end, one direction).
    static constexpr int kPerConnector = 3;

    /// What a chip shows and where it goes.
    struct Spec {
        quint64 connector = 0; ///< chips with the same key share the per-connector limit
        QString preview; ///< the bytes, quoted, or empty
        QString amount; ///< "20 B"
        qint64 bytes = 0;
        QPainterPath route;
        qreal maxWidth = 120;
    };

    /// A chip travelling spec.route from nowMs for durationMs, or "+1" on the
    /// newest chip of a busy connector. Nothing for a route of one point.
    void spawn(QGraphicsScene *scene, const Theme *theme, const Spec &spec, qint64 nowMs, int durationMs);
    /// Moves every chip; true while any is still travelling.
    bool advance(qint64 nowMs);
    /// The scene deleted every item (QGraphicsScene::clear): forget them.
    void forget() { m_chunks.clear(); }
    int count() const { return static_cast<int>(m_chunks.size()); }
    /// Chips in flight on one connector.
    int count(quint64 connector) const;
    std::vector<ChunkItem *> chunks() const;

private:
    struct Flight {
        ChunkItem *item;
        quint64 connector;
    };
    std::vector<Flight> m_chunks;
};

} // namespace pipescope
