#pragma once

#include "ui/scene/scenelayout.h"

#include <QLineF>
#include <QVector>

#include <unordered_map>

namespace pipescope
{

/// Gives every connector of a layout a lane of its own (SceneLayout::spreadLanes): where segments of
/// different buses would run along one line, or closer than a lane, the later connector moves aside by
/// SceneLayout::kLaneSpacing steps. Placed segments are kept in lane-wide bins by orientation, so a
/// query looks at three bins rather than at every segment of a 64-writer select.
class LaneSpreader
{
public:
    explicit LaneSpreader(const SceneLayout &layout) : m_layout(layout) { }
    /// Moves wires aside where they would share a line; returns the largest move made.
    qreal spread(QVector<SceneLayout::Wire> &wires);

private:
    /// How many placed segments of other buses c runs along (or closer than a lane to).
    int clashes(const QLineF &c, qint64 bus) const;
    int clashesOf(const QPolygonF &line, qint64 bus) const;
    void place(const QPolygonF &line, qint64 bus);
    static int bin(qreal v);

    struct Placed {
        QLineF line;
        qint64 bus;
    };
    const SceneLayout &m_layout;
    QVector<Placed> m_placed;
    std::unordered_map<int, QVector<int>> m_rows; ///< horizontal segments by their y's bin
    std::unordered_map<int, QVector<int>> m_columns; ///< vertical segments by their x's bin
};

} // namespace pipescope
