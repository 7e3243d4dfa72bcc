#pragma once

#include <QPair>
#include <QPolygonF>
#include <QRectF>
#include <QVector>

#include <algorithm>

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
    /// Out and In: process 0 and a grid of the others (above). Chain: pipelines, one
    /// row each, read left to right (stage, pipe, stage, ...), under a first row
    /// holding process 0, the processes in no pipeline and the pipes that are no link.
    enum class Flow { Out, In, Chain };

    /// A pipeline: its stages (process indexes) from the first to the last, and
    /// the pipe (index) from each stage to the next.
    struct Chain {
        QVector<int> stages;
        QVector<int> pipes; ///< pipes[k] runs from stages[k] to stages[k + 1]
    };

    static constexpr qreal kNodeWidth = 330;
    static constexpr qreal kNodeHeight = 160;
    static constexpr qreal kPipeWidth = 340;
    static constexpr qreal kPipeHeight = 150; ///< label, tube, "write end -> read end", counters
    /// Smaller cells when there are many processes or pipes.
    static constexpr qreal kCompactNodeWidth = 250;
    static constexpr qreal kCompactNodeHeight = 136; ///< room for a state line wrapped over three lines
    static constexpr qreal kCompactPipeWidth = 260;
    static constexpr qreal kCompactPipeHeight = 142;
    static constexpr int kCompactFrom = 5; ///< processes (or pipes) from which cells are compact
    /// The tube inside a pipe's rectangle (label above, counters below).
    static constexpr qreal kTubeTop = 34;
    static constexpr qreal kTubeHeight = 52;
    static constexpr qreal kTubeInset = 14;
    static constexpr qreal kLane = 8; ///< write and read connectors run this far either side of a channel
    /// With fd cards (an "annex" below each node) nodes are wider, so a card row
    /// such as "fd 3  pipe 1 read  O_NONBLOCK  cloexec" fits on one line.
    static constexpr qreal kAnnexNodeWidth = 470;
    static constexpr qreal kCompactAnnexNodeWidth = 390;
    static constexpr qreal kAnnexGap = 8; ///< between a node and its card
    static constexpr int kAnnexLines = 12; ///< text lines a card has room for (title, 5 rows of 2, "+N more")
    static constexpr int kCompactAnnexLines = 7; ///< title, up to 4 rows (pipe ends take 2 lines), "+N more"
    static constexpr qreal kAnnexLineHeight = 26;
    static constexpr qreal kCompactAnnexLineHeight = 22;
    static constexpr qreal kAnnexPadding = 12; ///< above and below the lines, together
    /// The view's width / height when it has not said (a 1920x1080 window's stage).
    static constexpr qreal kDefaultAspect = 1.5;
    /// Connectors of different pipe ends that would share a line are moved apart by this much.
    static constexpr qreal kLaneSpacing = 8;

    Flow flow = Flow::Out;
    QSizeF nodeSize {kNodeWidth, kNodeHeight};
    QSizeF pipeSize {kPipeWidth, kPipeHeight};
    QVector<QRectF> nodes; ///< by process index
    QVector<QRectF> pipes; ///< by pipe index
    QVector<int> pipeHome; ///< as given: a process index >= 1, or -1 for a shared pipe
    /// By process index: the card below each node (empty without annexes). Cards
    /// are items too: nothing overlaps them and no connector crosses them.
    QVector<QRectF> annexes;
    int annexLines = 0; ///< lines of text a card has room for (0: no annexes)
    qreal annexLineHeight = 0;
    QRectF bounds;
    /// The widest data chip that travels down a channel without touching the nodes and pipes beside it.
    qreal chipRoom = 120;

    /// pipeHome[i] is the index (>= 1) of the process pipe i belongs to, or -1 for a shared pipe.
    /// With annexes every node gets a card below it (SceneLayout::annexes) and the rows grow to hold it.
    /// aspect is the view's width / height: rows and columns are chosen so that the picture, fitted
    /// into such a view, is drawn as large as it can be.
    static SceneLayout compute(int processCount, const QVector<int> &pipeHome, Flow flow = Flow::Out,
        bool annexes = false, qreal aspect = kDefaultAspect);
    /// The pipelines that links make. links[i] is {writer, reader} of pipe i, both process indexes
    /// >= 1, or {-1, -1} when pipe i is no link (process 0 or several processes at an end). Empty
    /// when the links do not make pipelines: a process with two links in or out, or a cycle.
    static QVector<Chain> chainsOf(int processCount, const QVector<QPair<int, int>> &links);
    /// Flow::Chain: each chain on a row of its own, read left to right; process 0, the processes
    /// in no chain and the pipes in no chain in the first row(s), on the same columns.
    static SceneLayout computeChains(int processCount, int pipeCount, const QVector<Chain> &chains,
        bool annexes = false, qreal aspect = kDefaultAspect);
    /// True when any two rectangles (nodes, pipes and annexes) intersect.
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
    /// One connector as routed: which process and pipe it joins, and its bus (connectors of one
    /// pipe end form one bus: they join at its mouth, so they may share their last stretch).
    struct Wire {
        QPolygonF line;
        int process = -1;
        int pipe = -1;
        qint64 bus = 0;
    };
    /// Gives every connector a lane of its own: where segments of different buses would run along
    /// one line (or closer than a lane), the later one moves aside by kLaneSpacing steps, along its
    /// channel or track, or along its node's side for the first segment. The last segment, into the
    /// mouth, stays. Lines stay orthogonal and never cross an item. Returns the largest move made.
    qreal spreadLanes(QVector<Wire> &wires) const;
    static constexpr int kMaxLaneSteps = 3; ///< a line moves aside by at most this many lane spacings
    /// How wide a chip travelling along line may be without covering an item beside it: at most
    /// chipRoom, less where a channel segment runs close to a node, pipe or card (the outer margins).
    qreal chipRoomAlong(const QPolygonF &line) const;
    /// How large a layout of bounds is drawn in a view of this aspect (the scene's margin included):
    /// the view's height per scene unit, for comparing layouts.
    static qreal fittedScale(const QRectF &bounds, qreal aspect);

    /// crossesItems for segments first to last only (segment i runs from line[i - 1] to line[i]).
    bool crossesItems(const QPolygonF &line, int exceptProcess, int exceptPipe, int first, int last) const;

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
