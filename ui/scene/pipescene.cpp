#include "ui/scene/pipescene.h"

#include <QGraphicsSceneMouseEvent>

#include "ui/scene/animationclock.h"
#include "ui/scene/chunkitem.h"
#include "ui/scene/fdcarditem.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/processitem.h"
#include "ui/scene/scenelayout.h"
#include "ui/scene/sceneview.h"
#include "ui/scene/units.h"

#include <QLineF>

#include <algorithm>
#include <cmath>

namespace pipescope
{

namespace
{

constexpr int kMarkMs = 1800;

} // namespace

PipeScene::PipeScene(QObject *parent)
    : QGraphicsScene(parent), m_theme(Theme::light()), m_clock(new AnimationClock(this))
{
    m_clock->setTarget([this](qint64 now) { return advance(now); });
    setItemIndexMethod(QGraphicsScene::NoIndex); // items move every frame; a BSP tree would churn
    setBackgroundBrush(m_theme.background);
}

PipeScene::~PipeScene()
{
    m_clock->setTarget({});
}

void PipeScene::setTheme(const Theme &theme)
{
    m_theme = theme;
    setBackgroundBrush(m_theme.background);
    if (m_wireLayer.exists())
        drawWires();
    // Items cache their pixels (DeviceCoordinateCache): a scene update alone repaints the old colours.
    for (QGraphicsItem *item : items())
        item->update();
    update();
}

void PipeScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    for (QGraphicsItem *item : items(event->scenePos())) {
        if (qgraphicsitem_cast<FdCardItem *>(item))
            item = item->parentItem(); // a node's fd card stands for its node
        if (auto *process = qgraphicsitem_cast<ProcessItem *>(item)) {
            Q_EMIT processClicked(process->pid());
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

ProcessItem *PipeScene::processItem(pid_t pid) const
{
    const auto it = m_processes.find(pid);
    return it == m_processes.end() ? nullptr : it->second;
}

PipeItem *PipeScene::pipeItem(std::uint64_t inode) const
{
    const auto it = m_pipes.find(inode);
    return it == m_pipes.end() ? nullptr : it->second;
}

void PipeScene::clearRun()
{
    clear(); // deletes every item
    m_wireLayer.forget();
    m_processes.clear();
    m_cards.clear();
    m_pipes.clear();
    m_traffic.forget();
    m_history = PipeHistory();
    m_homes.clear();
    m_layout = SceneLayout();
    m_processIndex.clear();
    m_pipeIndex.clear();
    m_specs.clear();
    m_ends.clear();
    m_routes.clear();
    m_wiresHidden = false;
    m_gliding = false;
    m_rates.clear();
    m_laidOutProcesses = -1;
}

void PipeScene::applyEvents(const QVector<Event> &events, const RunState &state)
{
    bool fdsChanged = false;
    for (const Event &e : events) {
        m_history.track(e);
        fdsChanged |= PipeHistory::changesFds(e.kind);
        if (e.kind == EventKind::Watchdog)
            freezeAsStopped(); // before the kills that follow it in this batch are shown
    }
    syncItems(state);
    const bool moved = [&] {
        if (static_cast<int>(state.processes().size()) != m_laidOutProcesses)
            return true;
        // A pipeline's rows do not depend on which side process 0 stands (their links are checked below).
        if (m_layout.flow != SceneLayout::Flow::Chain && m_history.flow() != m_layout.flow)
            return true;
        QVector<int> homes;
        for (const PipeInfo &p : state.pipes())
            homes.push_back(m_history.entry(p.inode).home);
        return homes != m_homes || links(state) != m_links;
    }();
    if (moved)
        relayout(state);
    if (moved || fdsChanged)
        rebuildConnectors(state);
    for (const Event &e : events)
        react(e, state);
    m_clock->wake();
}

void PipeScene::syncItems(const RunState &state)
{
    for (const ProcessInfo &p : state.processes()) {
        ProcessItem *&item = m_processes[p.pid];
        if (!item) {
            item = new ProcessItem(&m_theme, m_layout.nodeSize);
            addItem(item);
            if (m_fdCards)
                m_cards[p.pid] = new FdCardItem(&m_theme, item);
        }
        // Born and gone within one batch: its card never shows fds it no longer has.
        if (FdCardItem *card = fdCard(p.pid);
            card && !card->exited() && (p.state == ProcessState::Exited || p.state == ProcessState::Reaped))
            card->setExited();
        m_processIndex[p.pid] = p.index;
        item->update(p, p.state == ProcessState::Held ? heldCall(p.pid) : QString(), m_history.sleepMs(p.pid));
    }
    for (const PipeInfo &p : state.pipes()) {
        PipeItem *&item = m_pipes[p.inode];
        if (!item) {
            item = new PipeItem(&m_theme, m_layout.pipeSize);
            addItem(item);
        }
        m_pipeIndex[p.inode] = p.index;
        item->update(p, openSide(state, p, true), openSide(state, p, false), m_rates.rate(p.inode));
    }
    // A channel the state no longer holds under this inode (a socket pair's end seen alone, then joined
    // to its pair) loses its item: the scene never shows more than the state has.
    for (auto it = m_pipes.begin(); it != m_pipes.end();) {
        if (state.pipe(it->first) && state.pipe(it->first)->inode == it->first) {
            ++it;
            continue;
        }
        m_pipeIndex.erase(it->first);
        removeItem(it->second);
        delete it->second;
        it = m_pipes.erase(it);
    }
}

QVector<QPair<int, int>> PipeScene::links(const RunState &state)
{
    std::map<pid_t, int> index;
    pid_t main = 0;
    for (const ProcessInfo &p : state.processes()) {
        index[p.pid] = p.index;
        if (p.index == 0)
            main = p.pid;
    }
    std::map<std::uint64_t, std::pair<std::set<pid_t>, std::set<pid_t>>> holders; // writers, readers now
    for (const ProcessInfo &p : state.processes())
        for (const auto &[fd, end] : p.fds) {
            const PipeInfo *channel = state.pipe(end.inode);
            const std::uint64_t key = channel ? channel->inode : end.inode;
            const bool writeSide = channel ? channel->writeSide(end.inode, end.writeEnd) : end.writeEnd;
            (writeSide ? holders[key].first : holders[key].second).insert(p.pid);
        }
    QVector<QPair<int, int>> out(static_cast<int>(state.pipes().size()), {-1, -1});
    for (const PipeInfo &p : state.pipes()) {
        PipeHistory::Entry &h = m_history.entry(p.inode);
        const auto &[writersNow, readersNow] = holders[p.inode];
        // A watched pipeline's fds come from /proc samples, not events the history replays: remember
        // its holders here too, so an ended pipeline is still drawn as the pipeline it was.
        if (!writersNow.empty())
            h.lastWriters = writersNow;
        if (!readersNow.empty())
            h.lastReaders = readersNow;
        // As the connectors decide a pipe's direction: data first, then the ends held, then the last holders.
        std::set<pid_t> w = !h.dataWriters.empty() ? h.dataWriters : !writersNow.empty() ? writersNow : h.lastWriters;
        std::set<pid_t> r = !h.dataReaders.empty() ? h.dataReaders : !readersNow.empty() ? readersNow : h.lastReaders;
        // Process 0 keeping an end it never uses (a careless parent) does not stop its children being a pipeline.
        w.erase(main);
        r.erase(main);
        if (w.size() == 1 && r.size() == 1 && *w.begin() != *r.begin() && p.index >= 0 && p.index < out.size())
            out[p.index] = {index[*w.begin()], index[*r.begin()]};
    }
    return out;
}

QVector<SceneLayout::Chain> PipeScene::pipelines(const QVector<QPair<int, int>> &links) const
{
    const int linked
        = static_cast<int>(std::count_if(links.begin(), links.end(), [](const auto &l) { return l.first >= 1; }));
    // Mostly links (a stray pipe inherited from a shell may stand aside): a pipeline, read left to right.
    if (linked == 0 || linked < links.size() - linked)
        return {};
    return SceneLayout::chainsOf(m_laidOutProcesses, links);
}

void PipeScene::relayout(const RunState &state)
{
    m_homes.clear();
    for (const PipeInfo &p : state.pipes())
        m_homes.push_back(m_history.entry(p.inode).home);
    m_laidOutProcesses = static_cast<int>(state.processes().size());
    m_links = links(state);
    placeItems(false);
}

void PipeScene::placeItems(bool glide)
{
    const QVector<SceneLayout::Chain> chains = pipelines(m_links);
    m_layout = chains.isEmpty()
        ? SceneLayout::compute(m_laidOutProcesses, m_homes, m_history.flow(), m_fdCards, m_viewAspect)
        : SceneLayout::computeChains(
            m_laidOutProcesses, static_cast<int>(m_homes.size()), chains, m_fdCards, m_viewAspect);
    for (const auto &[pid, index] : m_processIndex) {
        ProcessItem *item = processItem(pid);
        if (!item || index < 0 || index >= m_layout.nodes.size())
            continue;
        item->setSize(m_layout.nodeSize);
        item->setTarget(m_layout.nodes[index].topLeft(), !glide);
        if (FdCardItem *card = fdCard(pid); card && index < m_layout.annexes.size()) {
            const QRectF annex = m_layout.annexes[index];
            card->setPos(annex.topLeft() - m_layout.nodes[index].topLeft()); // a child: it moves with its node
            card->setGeometry(annex.size(), m_layout.annexLines, m_layout.annexLineHeight);
        }
    }
    for (const auto &[inode, index] : m_pipeIndex) {
        PipeItem *item = pipeItem(inode);
        if (!item || index < 0 || index >= m_layout.pipes.size())
            continue;
        item->setSize(m_layout.pipeSize);
        item->setTarget(m_layout.pipes[index].topLeft(), !glide);
    }
    m_gliding = glide;
    fitSceneRect(true);
}

QRectF PipeScene::placedBounds() const
{
    // Items paint past their layout rectangles (a node's mark above it, a pipe's badge after its label,
    // a card below its node): the rect a view fits holds all of it, where each item stands now and where
    // it goes, so nothing is cut off at the screen's edge, not even while items glide.
    QRectF placed = m_layout.bounds;
    const auto add = [&](const QGraphicsItem *item, const QPointF &target) {
        const QRectF own = item->boundingRect() | item->childrenBoundingRect();
        placed |= own.translated(target);
        if (m_gliding)
            placed |= own.translated(item->pos());
    };
    for (const auto &[pid, item] : m_processes)
        add(item, item->target());
    for (const auto &[inode, item] : m_pipes)
        add(item, item->target());
    if (m_wireLayer.exists())
        placed |= m_wireLayer.bounds();
    return placed;
}

void PipeScene::fitSceneRect(bool relaidOut)
{
    const QRectF bounds = placedBounds().adjusted(-20, -20, 20, 20);
    if (relaidOut) {
        setSceneRect(bounds);
        Q_EMIT layoutChanged(bounds); // the view fits it again
        return;
    }
    if (bounds == sceneRect())
        return;
    // Not a new layout (the items arrived where they glided, a connector reached further): its views
    // fit the new rect all the same, so what they show is always everything placed.
    setSceneRect(bounds);
    for (QGraphicsView *view : views())
        if (auto *fitted = qobject_cast<SceneView *>(view))
            fitted->sceneBoundsChanged(bounds);
}

void PipeScene::setViewSize(const QSizeF &size)
{
    if (size.width() < 50 || size.height() < 50)
        return; // not shown yet, or squeezed away: no shape to lay out for
    const qreal aspect = size.width() / size.height();
    if (std::abs(aspect - m_viewAspect) < 0.02 * m_viewAspect)
        return;
    m_viewAspect = aspect;
    if (m_laidOutProcesses < 0)
        return; // the first batch lays out for it
    const QRectF before = m_layout.bounds;
    const QVector<QRectF> nodes = m_layout.nodes, pipes = m_layout.pipes;
    placeItems(true);
    if (m_layout.nodes == nodes && m_layout.pipes == pipes && m_layout.bounds == before)
        return;
    routeConnectors();
    // The lines are drawn where the items end up: hidden while the items glide there.
    if (m_wireLayer.exists()) {
        m_wireLayer.setVisible(false);
        m_wiresHidden = true;
    }
    m_clock->wake();
}

void PipeScene::freezeAsStopped()
{
    // The replay stands exactly at the watchdog's event: every process as it was when it was stopped.
    syncItems(m_history.replay());
    for (const auto &[pid, item] : m_processes)
        item->freezeAsStopped();
    for (const auto &[pid, card] : m_cards)
        card->freezeAsStopped();
}

void PipeScene::setFdCardsShown(bool shown)
{
    if (shown == m_fdCards)
        return;
    m_fdCards = shown;
    if (shown) {
        for (const auto &[pid, item] : m_processes)
            m_cards[pid] = new FdCardItem(&m_theme, item);
    } else {
        for (const auto &[pid, card] : m_cards)
            delete card;
        m_cards.clear();
    }
    if (m_laidOutProcesses >= 0) {
        // The replay holds exactly the processes and pipes that have items.
        relayout(m_history.replay());
        rebuildConnectors(m_history.replay());
    }
}

FdCardItem *PipeScene::fdCard(pid_t pid) const
{
    const auto it = m_cards.find(pid);
    return it == m_cards.end() ? nullptr : it->second;
}

void PipeScene::setFdRows(pid_t pid, const std::vector<FdAnnotator::Row> &rows)
{
    if (FdCardItem *card = fdCard(pid))
        card->setRows(rows);
}

void PipeScene::setFdExited(pid_t pid)
{
    if (FdCardItem *card = fdCard(pid))
        card->setExited();
}

void PipeScene::setFdUnread(pid_t pid, const QString &why)
{
    if (FdCardItem *card = fdCard(pid))
        card->setUnread(why);
}

QPainterPath PipeScene::routeTo(pid_t pid, PipeItem *pipe, bool writeEnd) const
{
    if (const auto it = m_routes.find({pipe->inode(), pid, writeEnd}); it != m_routes.end())
        return it->second;
    return baseRoute(pid, pipe, writeEnd);
}

QPainterPath PipeScene::baseRoute(pid_t pid, PipeItem *pipe, bool writeEnd) const
{
    QPainterPath path;
    const auto proc = m_processIndex.find(pid);
    const auto pipeIt = m_pipeIndex.find(pipe->inode());
    if (proc == m_processIndex.end() || pipeIt == m_pipeIndex.end() || proc->second >= m_layout.nodes.size()
        || pipeIt->second >= m_layout.pipes.size()) {
        path.moveTo(pipe->mouth(writeEnd));
        return path;
    }
    path.addPolygon(m_layout.route(proc->second, pipeIt->second, writeEnd, pipe->flowsRight()));
    return path;
}

void PipeScene::rebuildConnectors(const RunState &state)
{
    m_specs.clear();
    for (const PipeInfo &p : state.pipes()) {
        PipeHistory::Entry &h = m_history.entry(p.inode);
        std::set<pid_t> writers, readers;
        for (const ProcessInfo &proc : state.processes())
            for (const auto &[fd, end] : proc.fds)
                if (p.has(end.inode))
                    (p.writeSide(end.inode, end.writeEnd) ? writers : readers).insert(proc.pid);
        // Which side the write end faces: who wrote and read data, else who holds the ends, else
        // who held them last (a batch at full speed can open and close a pipe nobody wrote to).
        const std::set<pid_t> &w = !h.dataWriters.empty() ? h.dataWriters : !writers.empty() ? writers : h.lastWriters;
        const std::set<pid_t> &r = !h.dataReaders.empty() ? h.dataReaders : !readers.empty() ? readers : h.lastReaders;
        auto indexes = [this](const std::set<pid_t> &pids) {
            QVector<int> out;
            for (const pid_t pid : pids)
                if (const auto it = m_processIndex.find(pid); it != m_processIndex.end())
                    out.push_back(it->second);
            return out;
        };
        if (w != r)
            m_ends[p.inode] = {indexes(w), indexes(r)};
        auto add = [&](const std::set<pid_t> &holders, const std::set<pid_t> &last, bool writeEnd) {
            for (const pid_t pid : holders)
                m_specs.push_back({p.inode, pid, writeEnd, false});
            if (holders.empty()) // everybody closed it: show who held it last, cut off
                for (const pid_t pid : last)
                    m_specs.push_back({p.inode, pid, writeEnd, true});
        };
        // A cut end points at the processes that used it, if any did, rather than
        // at a child that merely inherited the end and closed it.
        add(writers, h.dataWriters.empty() ? h.lastWriters : h.dataWriters, true);
        add(readers, h.dataReaders.empty() ? h.lastReaders : h.dataReaders, false);
    }
    routeConnectors();
}

void PipeScene::routeConnectors()
{
    for (const auto &[inode, ends] : m_ends) {
        PipeHistory::Entry &h = m_history.entry(inode);
        const auto index = m_pipeIndex.find(inode);
        if (index != m_pipeIndex.end())
            h.flowsRight = m_layout.flowsRight(index->second, ends.first, ends.second);
    }
    for (const auto &[inode, pipe] : m_pipes)
        pipe->setFlowsRight(m_history.entry(inode).flowsRight);
    // Open connectors first: they get the straight lanes, the faint cut-off ones step aside.
    std::vector<const ConnectorSpec *> order;
    for (const ConnectorSpec &c : m_specs)
        if (!c.closed)
            order.push_back(&c);
    for (const ConnectorSpec &c : m_specs)
        if (c.closed)
            order.push_back(&c);
    QVector<SceneLayout::Wire> wires;
    std::vector<const ConnectorSpec *> routed;
    m_routes.clear();
    for (const ConnectorSpec *c : order) {
        PipeItem *pipe = pipeItem(c->inode);
        const auto proc = m_processIndex.find(c->pid);
        const auto pipeIt = m_pipeIndex.find(c->inode);
        if (!pipe || proc == m_processIndex.end() || pipeIt == m_pipeIndex.end()
            || proc->second >= m_layout.nodes.size() || pipeIt->second >= m_layout.pipes.size())
            continue;
        wires.push_back({m_layout.route(proc->second, pipeIt->second, c->writeEnd, pipe->flowsRight()), proc->second,
            pipeIt->second, static_cast<qint64>(c->inode) * 2 + (c->writeEnd ? 1 : 0)});
        routed.push_back(c);
    }
    m_layout.spreadLanes(wires);
    for (std::size_t i = 0; i < routed.size(); ++i) {
        QPainterPath path;
        path.addPolygon(wires[static_cast<int>(i)].line);
        m_routes[{routed[i]->inode, routed[i]->pid, routed[i]->writeEnd}] = path;
    }
    std::map<std::uint64_t, QVector<PipeItem::Connector>> connectors;
    for (const ConnectorSpec &c : m_specs)
        if (PipeItem *pipe = pipeItem(c.inode))
            connectors[c.inode].push_back({routeTo(c.pid, pipe, c.writeEnd), c.writeEnd, c.closed});
    for (const auto &[inode, pipe] : m_pipes)
        pipe->setConnectors(connectors[inode]);
    drawWires();
    fitSceneRect(false);
}

void PipeScene::drawWires()
{
    m_wireLayer.draw(this, m_pipes, m_theme);
}

QString PipeScene::heldCall(pid_t pid) const
{
    const Event *gate = m_history.gate(pid);
    return gate ? ProcessItem::heldCallText(*gate) : QString();
}

void PipeScene::react(const Event &e, const RunState &state)
{
    const qint64 now = m_clock->now();
    ProcessItem *node = processItem(e.pid);
    // A socket pair is drawn once, by its first end's inode; a process's end of it is its side.
    const PipeInfo *channel = e.inode ? state.pipe(e.inode) : nullptr;
    PipeItem *pipe = channel ? pipeItem(channel->inode) : e.inode ? pipeItem(e.inode) : nullptr;
    const bool socket = channel && channel->isSocket();
    switch (e.kind) {
    case EventKind::Write:
        if (pipe && e.result > 0) {
            const QString text = Units::preview(e.text, static_cast<int>(strnlen(e.text, Event::kTextSize)), 18);
            spawnChunk(e.pid, pipe, socket ? channel->writeSide(e.inode, true) : true,
                QStringLiteral("\"%1\"").arg(text), Units::bytes(e.result), e.result, true);
            m_history.entry(pipe->inode()).lastEventChunkMs = now;
        } else if (pipe && e.isWouldBlock()) {
            pipe->flash(QStringLiteral("EAGAIN: pipe full"), now + kMarkMs);
        } else if (pipe && e.isBrokenPipe()) {
            pipe->flash(QStringLiteral("EPIPE: no reader"), now + kMarkMs);
            if (node)
                node->flash(QStringLiteral("EPIPE / SIGPIPE"), now + kMarkMs);
        }
        break;
    case EventKind::Read:
        if (pipe && e.result > 0) {
            const QString text = Units::preview(e.text, static_cast<int>(strnlen(e.text, Event::kTextSize)), 18);
            spawnChunk(e.pid, pipe, socket ? channel->writeSide(e.inode, false) : false,
                QStringLiteral("\"%1\"").arg(text), Units::bytes(e.result), e.result, false);
            m_history.entry(pipe->inode()).lastEventChunkMs = now;
        } else if (pipe && e.isEof()) {
            // On the pipe whose read end reported it: the reader's own node may
            // read several pipes (a start signal, the data), so a badge there says less.
            pipe->flash(QStringLiteral("read() = 0: EOF"), now + kMarkMs);
        } else if (pipe && e.isWouldBlock()) {
            pipe->flash(QStringLiteral("EAGAIN: empty"), now + kMarkMs);
        }
        break;
    case EventKind::Select: {
        int ready = 0;
        for (int fd = 0; fd < Event::kMaxFd; ++fd)
            ready += Event::bit(e.ready, fd) ? 1 : 0;
        for (const auto &[inode, h] : m_history.entries())
            if (h.readyNs == e.timeNs)
                if (PipeItem *r = pipeItem(inode)) {
                    r->flash(QStringLiteral("ready"), now + kMarkMs);
                    r->markReady();
                }
        if (node)
            node->flash(ready ? QStringLiteral("select: %1 ready").arg(ready) : QStringLiteral("select: timeout"),
                now + kMarkMs);
        break;
    }
    case EventKind::Exited:
        if (node)
            node->flash(QStringLiteral("exited"), now + kMarkMs);
        break;
    case EventKind::Exec:
        if (node)
            node->flash(QStringLiteral("execvp"), now + kMarkMs);
        break;
    default: break;
    }
    Q_UNUSED(state)
}

void PipeScene::applyCounters(const RunState &state)
{
    const qint64 now = m_clock->now();
    for (const PipeInfo &p : state.pipes()) {
        PipeItem *pipe = pipeItem(p.inode);
        if (!pipe)
            continue;
        const double rate = m_rates.update(p.inode, p.read, now);
        pipe->update(p, openSide(state, p, true), openSide(state, p, false), rate);
        PipeHistory::Entry &h = m_history.entry(p.inode);
        // At full speed most reads and writes are counted, not logged: show the sampled flow,
        // one chunk at a time, so the pipe and its gauge stay visible.
        if (now - h.lastEventChunkMs > m_chunkMs + 100) { // one sampled chunk in flight at a time
            const qint64 wrote = p.written - h.sampledWritten;
            const qint64 read = p.read - h.sampledRead;
            const std::set<pid_t> &writers = h.dataWriters.empty() ? h.lastWriters : h.dataWriters;
            const std::set<pid_t> &readers = h.dataReaders.empty() ? h.lastReaders : h.dataReaders;
            if (wrote > 0 && h.sampledWritten > 0 && !writers.empty())
                spawnChunk(*writers.begin(), pipe, true, QStringLiteral("sampled"),
                    QStringLiteral("+%1").arg(Units::bytes(wrote)), wrote);
            if (read > 0 && h.sampledRead > 0 && !readers.empty())
                spawnChunk(*readers.begin(), pipe, false, QStringLiteral("sampled"),
                    QStringLiteral("+%1").arg(Units::bytes(read)), read);
            h.lastEventChunkMs = wrote > 0 || read > 0 ? now : h.lastEventChunkMs;
        }
        h.sampledWritten = p.written;
        h.sampledRead = p.read;
    }
    for (const ProcessInfo &p : state.processes())
        if (ProcessItem *item = processItem(p.pid))
            item->update(p, p.state == ProcessState::Held ? heldCall(p.pid) : QString(), m_history.sleepMs(p.pid));
    m_clock->wake();
}

void PipeScene::refreshHolders(const RunState &state)
{
    if (m_laidOutProcesses < 0)
        return; // nothing drawn yet: the next batch lays everything out
    syncItems(state);
    if (static_cast<int>(state.processes().size()) != m_laidOutProcesses
        || static_cast<int>(state.pipes().size()) != m_homes.size())
        relayout(state);
    rebuildConnectors(state);
    m_clock->wake();
}

void PipeScene::noteProcess(pid_t pid, const QString &text)
{
    ProcessItem *item = processItem(pid);
    if (!item)
        return;
    // Twice a watcher's default interval, and a little: said again in time, it does not flicker.
    constexpr int kNoteMs = 1200;
    item->flash(text, text.isEmpty() ? 0 : m_clock->now() + kNoteMs);
    m_clock->wake();
}

int PipeScene::openSide(const RunState &state, const PipeInfo &p, bool writeSide)
{
    // A socket pair's ends are neither write nor read ends: its sides are its two ends.
    if (p.isSocket())
        return state.openEnds(writeSide ? p.inode : p.inode2, false);
    return state.openEnds(p.inode, writeSide);
}

void PipeScene::spawnChunk(pid_t pid, PipeItem *pipe, bool writeEnd, const QString &preview, const QString &amount,
    qint64 bytes, std::optional<bool> towardsPipe)
{
    // On the connector only, from the writer to the pipe or from the pipe to the
    // reader: the gauge shows what is inside. Along the middle of the connector's channel (where its
    // lane was before spreadLanes moved it a few pixels aside): the room the layout keeps for chips.
    const QPainterPath route = baseRoute(pid, pipe, writeEnd);
    ChunkTraffic::Spec spec;
    spec.connector = (pipe->inode() << 24) ^ (static_cast<quint64>(pid) << 1) ^ (writeEnd ? 1 : 0);
    spec.preview = preview;
    spec.amount = amount;
    spec.bytes = bytes;
    spec.route = towardsPipe.value_or(writeEnd) ? route : route.toReversed();
    QPolygonF points;
    for (int i = 0; i < route.elementCount(); ++i)
        points << QPointF(route.elementAt(i));
    spec.maxWidth = m_layout.chipRoomAlong(points);
    m_traffic.spawn(this, &m_theme, spec, m_clock->now(), m_chunkMs);
}

bool PipeScene::advance(qint64 nowMs)
{
    bool moving = false;
    for (auto &[pid, item] : m_processes)
        moving |= item->animate(nowMs);
    for (auto &[inode, item] : m_pipes)
        moving |= item->animate(nowMs);
    moving |= m_traffic.advance(nowMs);
    if (!moving && m_wiresHidden) {
        m_wireLayer.setVisible(true); // every item stands where its lines are
        m_wiresHidden = false;
    }
    if (!moving && m_gliding) {
        m_gliding = false;
        fitSceneRect(false); // arrived: the rect no longer holds where the items came from
    }
    return moving;
}

} // namespace pipescope
