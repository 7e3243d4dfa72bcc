#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"
#include "ui/scene/chunktraffic.h"
#include "ui/scene/fdannotator.h"
#include "ui/scene/pipehistory.h"
#include "ui/scene/ratemeter.h"
#include "ui/scene/scenelayout.h"
#include "ui/scene/theme.h"
#include "ui/scene/wirelayer.h"

#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QVector>

#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace pipescope
{

class AnimationClock;
class ChunkItem;
class FdCardItem;
class PipeItem;
class ProcessItem;

/// Turns a run into pictures: a ProcessItem per process, a PipeItem per pipe,
/// ChunkItems for bytes in flight and short-lived marks for EOF, EAGAIN, EPIPE
/// and select-ready. Its PipeHistory replays every event to learn which
/// processes ever held which pipe end, which decides where each pipe is drawn.
class PipeScene : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit PipeScene(QObject *parent = nullptr);
    ~PipeScene() override;

    AnimationClock *clock() const { return m_clock; }
    void setTheme(const Theme &theme);
    const Theme &theme() const { return m_theme; }
    /// How long a chunk takes to travel (shorter at full speed, longer in slow motion).
    void setChunkDurationMs(int ms) { m_chunkMs = ms; }
    int chunkDurationMs() const { return m_chunkMs; }

    /// Removes every item: a new run starts from an empty stage.
    void clearRun();
    /// Folds a batch of events in; state is the run after the batch.
    void applyEvents(const QVector<Event> &events, const RunState &state);
    /// Refreshes counters from a sample of the shared state (full speed shows flow this way).
    void applyCounters(const RunState &state);
    /// Which processes hold which pipe ends changed in state without an event saying so
    /// (a watched pipeline, seen from /proc): the connectors are drawn again from state.
    void refreshHolders(const RunState &state);
    /// A remark on pid's node that lasts a little while ("bottleneck"); a source says it again
    /// while it stays true, so it fades once it is not. Empty text takes it away at once.
    void noteProcess(pid_t pid, const QString &text);

    int processItemCount() const { return static_cast<int>(m_processes.size()); }
    int pipeItemCount() const { return static_cast<int>(m_pipes.size()); }
    int chunkItemCount() const { return m_traffic.count(); }
    /// The chips in flight now (oldest first).
    std::vector<ChunkItem *> chunkItems() const { return m_traffic.chunks(); }
    ProcessItem *processItem(pid_t pid) const;
    PipeItem *pipeItem(std::uint64_t inode) const;
    const SceneLayout &layout() const { return m_layout; }
    /// The connectors and their arrowheads.
    const WireLayer &wires() const { return m_wireLayer; }

    /// Fd cards below every node (NodeFdTables fills them); the layout makes room, or gives it back when off.
    void setFdCardsShown(bool shown);
    bool fdCardsShown() const { return m_fdCards; }
    /// The table just read from /proc for pid (nothing happens without a card for it).
    void setFdRows(pid_t pid, const std::vector<FdAnnotator::Row> &rows);
    /// pid is gone: its card says the kernel closed its fds.
    void setFdExited(pid_t pid);
    /// pid's table cannot be read (see FdCardItem::setUnread).
    void setFdUnread(pid_t pid, const QString &why);
    FdCardItem *fdCard(pid_t pid) const;

    /// The view's viewport size (SceneView says it after a resize settles): the layout is chosen so that
    /// the picture, fitted into that shape, is drawn as large as it can be. Items keep their identity
    /// and glide to their new places; nothing happens while the shape stays about the same.
    void setViewSize(const QSizeF &size);
    /// The view's width / height the layout is made for.
    qreal viewAspect() const { return m_viewAspect; }

    /// One animation frame; true while anything moves. Driven by the clock.
    bool advance(qint64 nowMs);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;

Q_SIGNALS:
    /// The items moved to a new layout with these bounds (the view refits).
    void layoutChanged(const QRectF &bounds);
    /// A process node was clicked.
    void processClicked(int pid);

private:
    void syncItems(const RunState &state);
    /// Keeps every live node's state and fd card as they are when the watchdog stops the run.
    void freezeAsStopped();
    void relayout(const RunState &state);
    /// Lays the items out again from what relayout learned (homes, links, indexes); glide: move there smoothly.
    void placeItems(bool glide);
    /// The union of everything placed: the layout's bounds, every node (with its mark and card) and pipe
    /// (with its badge) where it goes and, while gliding, where it stands, and the connectors.
    QRectF placedBounds() const;
    /// Makes the scene's rect placedBounds and a margin: after a relayout it says layoutChanged, else, when
    /// the rect changed, its SceneViews fit it again.
    void fitSceneRect(bool relaidOut);
    /// The pipes from one process (other than process 0) to another, as {writer, reader} indexes by
    /// pipe index ({-1, -1}: no such link), from who wrote and read data, else who holds the ends.
    QVector<QPair<int, int>> links(const RunState &state);
    /// The pipelines to draw as rows (Flow::Chain), or none when the grid suits better.
    QVector<SceneLayout::Chain> pipelines(const QVector<QPair<int, int>> &links) const;
    void rebuildConnectors(const RunState &state);
    /// Routes every connector kept by rebuildConnectors over the current layout, each in its own lane.
    void routeConnectors();
    void drawWires();
    void react(const Event &e, const RunState &state);
    /// Open ends on one side of a pipe (its write or read end) or a socket pair (its first or second end).
    static int openSide(const RunState &state, const PipeInfo &p, bool writeSide);
    /// towardsPipe: the chunk runs from the node to the pipe (default: when writeEnd, as a write does).
    void spawnChunk(pid_t pid, PipeItem *pipe, bool writeEnd, const QString &preview, const QString &amount,
        qint64 bytes, std::optional<bool> towardsPipe = std::nullopt);
    /// The connector from pid's node to one end of pipe (starts at the node).
    QPainterPath routeTo(pid_t pid, PipeItem *pipe, bool writeEnd) const;
    /// The same connector as the layout routes it, before lanes are spread (chips travel there).
    QPainterPath baseRoute(pid_t pid, PipeItem *pipe, bool writeEnd) const;
    QString heldCall(pid_t pid) const;

    Theme m_theme;
    AnimationClock *m_clock;
    RateMeter m_rates;
    std::map<pid_t, ProcessItem *> m_processes;
    std::map<pid_t, FdCardItem *> m_cards; ///< children of their ProcessItems, while fd cards are shown
    bool m_fdCards = false;
    std::map<std::uint64_t, PipeItem *> m_pipes;
    ChunkTraffic m_traffic;
    PipeHistory m_history;
    QVector<int> m_homes;
    QVector<QPair<int, int>> m_links; ///< as laid out
    int m_laidOutProcesses = -1;
    SceneLayout m_layout;
    WireLayer m_wireLayer;
    std::map<pid_t, int> m_processIndex;
    std::map<std::uint64_t, int> m_pipeIndex;
    /// What rebuildConnectors found, so a new layout can route it again without a run state.
    struct ConnectorSpec {
        std::uint64_t inode = 0;
        pid_t pid = 0;
        bool writeEnd = false;
        bool closed = false;
    };
    std::vector<ConnectorSpec> m_specs;
    /// Per pipe: the indexes of who writes and who reads, which decide the way it faces (none: as it was).
    std::map<std::uint64_t, std::pair<QVector<int>, QVector<int>>> m_ends;
    /// The routed connectors by {inode, pid, write end}, as drawn (lanes spread). Chips travel along the
    /// middle of the channel instead (baseRoute), where the layout keeps room for them.
    std::map<std::tuple<std::uint64_t, pid_t, bool>, QPainterPath> m_routes;
    qreal m_viewAspect = SceneLayout::kDefaultAspect;
    bool m_wiresHidden = false; ///< while items glide to a new layout, the lines (drawn at the end) wait
    bool m_gliding = false; ///< items glide to a new layout: the scene's rect holds where they are and go
    int m_chunkMs = 650;
};

} // namespace pipescope
