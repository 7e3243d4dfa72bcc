#pragma once

#include <QPolygonF>
#include <QRectF>
#include <QVector>

namespace pipescope
{

/// Where process nodes and pipes go, and how connectors run between them, as
/// plain geometry (no widgets, so it is tested on its own).
///
/// The picture reads left to right, like a diagram drawn on a board. With
/// Flow::Out the scenario's main process (process 0) stands on the left and
/// sends to the others (parent -> pipe -> child); with Flow::In it stands on
/// the right and the others send to it (writers -> pipes -> reader, as in a
/// select fan-in). Every other process gets a cell in a grid, with the pipes
/// that belong to it ("home" pipes) beside it; pipes shared by several
/// processes stand below and above process 0 when there is room, else in
/// columns between the grid and process 0.
///
/// Everything sits on a common row pitch with free channels between columns
/// and free tracks between rows, so a connector is an orthogonal polyline:
/// out of a node's side into the adjacent channel, along a track, down the
/// channel beside the pipe and into its mouth. It never crosses a node or a
/// pipe. Connectors of shared pipes use the tracks above and below the grid,
/// so a pipe read by every process is drawn as one bus with short taps.
struct SceneLayout {
    enum class Flow { Out, In };

    static constexpr qreal kNodeWidth = 330;
    static constexpr qreal kNodeHeight = 160;
    static constexpr qreal kPipeWidth = 340;
    static constexpr qreal kPipeHeight = 124;
    /// Smaller cells when there are many processes or pipes.
    static constexpr qreal kCompactNodeWidth = 250;
    static constexpr qreal kCompactNodeHeight = 112;
    static constexpr qreal kCompactPipeWidth = 260;
    static constexpr qreal kCompactPipeHeight = 112;
    static constexpr int kCompactFrom = 5; ///< processes (or pipes) from which cells are compact
    /// The tube inside a pipe's rectangle (label above, counters below).
    static constexpr qreal kTubeTop = 34;
    static constexpr qreal kTubeHeight = 52;
    static constexpr qreal kTubeInset = 14;
    static constexpr qreal kLane = 8; ///< write and read connectors run this far either side of a channel

    Flow flow = Flow::Out;
    QSizeF nodeSize {kNodeWidth, kNodeHeight};
    QSizeF pipeSize {kPipeWidth, kPipeHeight};
    QVector<QRectF> nodes; ///< by process index
    QVector<QRectF> pipes; ///< by pipe index
    QVector<int> pipeHome; ///< as given: a process index >= 1, or -1 for a shared pipe
    QRectF bounds;

    /// pipeHome[i] is the index (>= 1) of the process pipe i belongs to, or -1 for a shared pipe.
    static SceneLayout compute(int processCount, const QVector<int> &pipeHome, Flow flow = Flow::Out);
    /// True when any two rectangles (nodes and pipes) intersect.
    bool hasOverlaps() const;

    /// The tube of a pipe drawn in rect.
    static QRectF tube(const QRectF &pipeRect);
    /// Which way a pipe runs: true when its writers stand left of its readers
    /// (process indexes; either list may be empty).
    bool flowsRight(int pipe, const QVector<int> &writers, const QVector<int> &readers) const;
    /// A pipe's write (or read) mouth.
    QPointF mouth(int pipe, bool writeEnd, bool flowsRight) const;
    /// The connector from a process to one end of a pipe: starts on the node's
    /// side, ends at the mouth. Horizontal and vertical segments only.
    QPolygonF route(int process, int pipe, bool writeEnd, bool flowsRight) const;
    /// True when the polyline touches a node or pipe, other than its first segment
    /// leaving exceptProcess and its last entering exceptPipe.
    bool crossesItems(const QPolygonF &line, int exceptProcess, int exceptPipe) const;

private:
    qreal channelBeside(const QRectF &r, bool right) const;

    QVector<qreal> m_channels; ///< x of free vertical channels, ascending
    QVector<qreal> m_rowTracks; ///< y of free horizontal tracks between rows
    qreal m_rowTrackLeft = 0; ///< row tracks run between these x (process 0's column excluded)
    qreal m_rowTrackRight = 0;
    qreal m_topTrack = 0; ///< above and below everything, full width
    qreal m_bottomTrack = 0;
};

} // namespace pipescope
