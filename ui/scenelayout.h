#pragma once

#include <QRectF>
#include <QVector>

namespace pipescope
{

/// Where process nodes and pipes go, as plain geometry (no widgets, so it is
/// tested on its own). Process 0 (the scenario's main process) stands on the
/// left; every other process gets a cell in a grid on the right, with the
/// pipes that belong to it ("home" pipes) just left of it; pipes shared by
/// several processes stand in a column between the two. Cells never overlap.
struct SceneLayout {
    static constexpr qreal kNodeWidth = 330;
    static constexpr qreal kNodeHeight = 160;
    static constexpr qreal kPipeWidth = 340;
    static constexpr qreal kPipeHeight = 124;
    static constexpr qreal kGapX = 110; ///< room for connectors and travelling chunks
    static constexpr qreal kGapY = 56;
    static constexpr qreal kPipeGap = 40;

    QVector<QRectF> nodes; ///< by process index
    QVector<QRectF> pipes; ///< by pipe index
    QRectF bounds;

    /// pipeHome[i] is the index (>= 1) of the process pipe i belongs to, or -1 for a shared pipe.
    static SceneLayout compute(int processCount, const QVector<int> &pipeHome);
    /// True when any two rectangles (nodes and pipes) intersect.
    bool hasOverlaps() const;
};

} // namespace pipescope
