#include "pipescene.h"

#include "animationclock.h"
#include "chunkitem.h"
#include "pipeitem.h"
#include "processitem.h"
#include "scenelayout.h"
#include "units.h"

#include <algorithm>
#include <cmath>

namespace pipescope
{

namespace
{

constexpr int kMaxChunks = 48; // beyond this the eye cannot follow anyway; keeps frames cheap
constexpr int kMarkMs = 1800;

bool changesFds(EventKind kind)
{
    switch (kind) {
    case EventKind::ProcessStarted:
    case EventKind::PipeCreated:
    case EventKind::Fork:
    case EventKind::Dup2:
    case EventKind::Close:
    case EventKind::Exec:
    case EventKind::Exited:
    case EventKind::Reaped:
    case EventKind::Wait: return true;
    default: return false;
    }
}

QString lower(EventKind kind)
{
    return QString::fromLatin1(eventKindName(kind)).toLower();
}

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
    update();
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
    m_processes.clear();
    m_pipes.clear();
    m_chunks.clear();
    m_history.clear();
    m_gates.clear();
    m_homes.clear();
    m_replay = RunState();
    m_rates.clear();
    m_laidOutProcesses = -1;
}

void PipeScene::applyEvents(const QVector<Event> &events, const RunState &state)
{
    bool fdsChanged = false;
    for (const Event &e : events) {
        track(e);
        fdsChanged |= changesFds(e.kind);
    }
    syncItems(state);
    const bool moved = [&] {
        if (static_cast<int>(state.processes().size()) != m_laidOutProcesses)
            return true;
        QVector<int> homes;
        for (const PipeInfo &p : state.pipes())
            homes.push_back(m_history[p.inode].home);
        return homes != m_homes;
    }();
    if (moved)
        relayout(state);
    if (moved || fdsChanged)
        rebuildConnectors(state);
    for (const Event &e : events)
        react(e, state);
    m_clock->wake();
}

void PipeScene::track(const Event &e)
{
    m_replay.apply(e);
    if (e.kind == EventKind::GateWait)
        m_gates[e.pid] = e;
    if (e.kind == EventKind::Write && e.result > 0 && e.inode)
        m_history[e.inode].dataWriters.insert(e.pid);
    if (e.kind == EventKind::Read && e.result > 0 && e.inode)
        m_history[e.inode].dataReaders.insert(e.pid);
    if (changesFds(e.kind))
        scanHolders();
}

void PipeScene::scanHolders()
{
    std::map<std::uint64_t, std::pair<std::set<pid_t>, std::set<pid_t>>> now; // writers, readers
    std::map<pid_t, int> index;
    for (const ProcessInfo &p : m_replay.processes()) {
        index[p.pid] = p.index;
        for (const auto &[fd, end] : p.fds)
            (end.writeEnd ? now[end.inode].first : now[end.inode].second).insert(p.pid);
    }
    for (const PipeInfo &pipe : m_replay.pipes()) {
        History &h = m_history[pipe.inode];
        h.creator = pipe.creator;
        const auto &[writers, readers] = now[pipe.inode];
        h.writersEver.insert(writers.begin(), writers.end());
        if (!writers.empty())
            h.lastWriters = writers;
        if (!readers.empty())
            h.lastReaders = readers;
        if (!h.homeFixed) {
            // Its home is the first other process to get hold of it: the child forked to use it.
            int best = -1;
            for (const pid_t pid : writers)
                if (pid != pipe.creator && (best < 0 || index[pid] < best))
                    best = index[pid];
            for (const pid_t pid : readers)
                if (pid != pipe.creator && (best < 0 || index[pid] < best))
                    best = index[pid];
            if (best >= 0) {
                h.home = best;
                h.homeFixed = true;
            }
        }
        std::size_t otherWriters = h.writersEver.size() - h.writersEver.count(pipe.creator);
        if (otherWriters >= 2) // written by many children: it belongs to no single one
            h.home = -1;
    }
}

void PipeScene::syncItems(const RunState &state)
{
    const QSizeF nodeSize(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight);
    const QSizeF pipeSize(SceneLayout::kPipeWidth, SceneLayout::kPipeHeight);
    for (const ProcessInfo &p : state.processes()) {
        ProcessItem *&item = m_processes[p.pid];
        if (!item) {
            item = new ProcessItem(&m_theme, nodeSize);
            addItem(item);
        }
        item->update(p, p.state == ProcessState::Held ? heldCall(p.pid) : QString());
    }
    for (const PipeInfo &p : state.pipes()) {
        PipeItem *&item = m_pipes[p.inode];
        if (!item) {
            item = new PipeItem(&m_theme, pipeSize);
            addItem(item);
        }
        item->update(p, state.openEnds(p.inode, true), state.openEnds(p.inode, false), m_rates.rate(p.inode));
    }
}

void PipeScene::relayout(const RunState &state)
{
    m_homes.clear();
    for (const PipeInfo &p : state.pipes())
        m_homes.push_back(m_history[p.inode].home);
    m_laidOutProcesses = static_cast<int>(state.processes().size());
    const SceneLayout layout = SceneLayout::compute(m_laidOutProcesses, m_homes);
    for (const ProcessInfo &p : state.processes())
        m_processes[p.pid]->setTarget(layout.nodes[p.index].topLeft(), true);
    for (const PipeInfo &p : state.pipes())
        m_pipes[p.inode]->setTarget(layout.pipes[p.index].topLeft(), true);
    const QRectF bounds = layout.bounds.adjusted(-60, -90, 60, 60);
    setSceneRect(bounds);
    Q_EMIT layoutChanged(bounds);
}

QPainterPath PipeScene::routeTo(pid_t pid, PipeItem *pipe, bool writeEnd, bool intoBuffer) const
{
    ProcessItem *node = processItem(pid);
    const QPointF mouth = pipe->mouth(writeEnd);
    QPainterPath path;
    if (!node) {
        path.moveTo(mouth);
        return path;
    }
    const QRectF r = node->mapRectToScene(QRectF(0, 0, SceneLayout::kNodeWidth, SceneLayout::kNodeHeight));
    const QPointF pipeCentre = pipe->mapToScene(QPointF(SceneLayout::kPipeWidth / 2, SceneLayout::kPipeHeight / 2));
    const bool nodeLeft = r.center().x() < pipeCentre.x();
    const QPointF start(nodeLeft ? r.right() : r.left(), r.center().y() + (writeEnd ? -28 : 28));
    const qreal mouthOut = writeEnd == pipe->flowsRight() ? -1 : 1; // outward from the tube
    const qreal nodeOut = nodeLeft ? 1 : -1;
    const qreal k = std::max<qreal>(90, std::abs(mouth.x() - start.x()) / 2);
    QPointF c1 = start + QPointF(nodeOut * k, 0);
    QPointF c2 = mouth + QPointF(mouthOut * 90, 0);
    if (mouthOut == nodeOut) {
        // The mouth faces away from the node: loop round below the pipe, not through it.
        c1 += QPointF(0, SceneLayout::kPipeHeight * 1.6);
        c2 += QPointF(0, SceneLayout::kPipeHeight * 1.6);
    }
    path.moveTo(start);
    path.cubicTo(c1, c2, mouth);
    if (intoBuffer)
        path.lineTo(pipe->fillFront());
    return path;
}

void PipeScene::rebuildConnectors(const RunState &state)
{
    for (const PipeInfo &p : state.pipes()) {
        PipeItem *pipe = m_pipes[p.inode];
        History &h = m_history[p.inode];
        std::set<pid_t> writers, readers;
        for (const ProcessInfo &proc : state.processes())
            for (const auto &[fd, end] : proc.fds)
                if (end.inode == p.inode)
                    (end.writeEnd ? writers : readers).insert(proc.pid);
        // Which side the write end faces: who wrote and read data, else who holds the ends.
        const std::set<pid_t> &w = !h.dataWriters.empty() ? h.dataWriters : writers;
        const std::set<pid_t> &r = !h.dataReaders.empty() ? h.dataReaders : readers;
        auto meanX = [&](const std::set<pid_t> &pids) {
            qreal sum = 0;
            int n = 0;
            for (const pid_t pid : pids)
                if (ProcessItem *item = processItem(pid)) {
                    sum += item->pos().x();
                    ++n;
                }
            return n ? sum / n : std::nan("");
        };
        const qreal wx = meanX(w);
        const qreal rx = meanX(r);
        if (w != r && !std::isnan(wx) && !std::isnan(rx) && std::abs(wx - rx) > 1)
            h.flowsRight = wx < rx;
        pipe->setFlowsRight(h.flowsRight);

        QVector<PipeItem::Connector> connectors;
        auto add = [&](const std::set<pid_t> &holders, const std::set<pid_t> &last, bool writeEnd) {
            for (const pid_t pid : holders)
                connectors.push_back({routeTo(pid, pipe, writeEnd, false), writeEnd, false});
            if (holders.empty()) // everybody closed it: show who held it last, cut off
                for (const pid_t pid : last)
                    connectors.push_back({routeTo(pid, pipe, writeEnd, false), writeEnd, true});
        };
        // A cut end points at the processes that used it, if any did, rather than
        // at a child that merely inherited the end and closed it.
        add(writers, h.dataWriters.empty() ? h.lastWriters : h.dataWriters, true);
        add(readers, h.dataReaders.empty() ? h.lastReaders : h.dataReaders, false);
        pipe->setConnectors(connectors);
    }
}

QString PipeScene::heldCall(pid_t pid) const
{
    const auto it = m_gates.find(pid);
    if (it == m_gates.end())
        return {};
    const Event &e = it->second;
    const QString fd = QString::number(e.fd);
    switch (e.pending) {
    case EventKind::Write: return QStringLiteral("about to write(%1, %2 bytes)").arg(fd).arg(e.requested);
    case EventKind::Read: return QStringLiteral("about to read(%1, up to %2)").arg(fd).arg(e.requested);
    case EventKind::Close: return QStringLiteral("about to close(%1)").arg(fd);
    case EventKind::Dup2: return QStringLiteral("about to dup2(%1, %2)").arg(e.requested).arg(fd);
    case EventKind::PipeCreated: return QStringLiteral("about to pipe2()");
    case EventKind::Select: return QStringLiteral("about to select()");
    case EventKind::Wait: return QStringLiteral("about to waitpid(%1)").arg(e.requested);
    case EventKind::Exec: return QStringLiteral("about to execvp()");
    case EventKind::SetPipeSize: return QStringLiteral("about to fcntl(%1, F_SETPIPE_SZ)").arg(fd);
    default: return QStringLiteral("about to %1()").arg(lower(e.pending));
    }
}

void PipeScene::react(const Event &e, const RunState &state)
{
    const qint64 now = m_clock->now();
    ProcessItem *node = processItem(e.pid);
    PipeItem *pipe = e.inode ? pipeItem(e.inode) : nullptr;
    switch (e.kind) {
    case EventKind::Write:
        if (pipe && e.result > 0) {
            const QString text = Units::preview(e.text, static_cast<int>(strnlen(e.text, Event::kTextSize)), 18);
            spawnChunk(QStringLiteral("\"%1\" %2").arg(text, Units::bytes(e.result)), e.result,
                routeTo(e.pid, pipe, true, true));
            m_history[e.inode].lastEventChunkMs = now;
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
            spawnChunk(QStringLiteral("\"%1\" %2").arg(text, Units::bytes(e.result)), e.result,
                routeTo(e.pid, pipe, false, false).toReversed());
            m_history[e.inode].lastEventChunkMs = now;
        } else if (pipe && e.isEof()) {
            pipe->flash(QStringLiteral("EOF"), now + kMarkMs);
            if (node)
                node->flash(QStringLiteral("read() = 0: EOF"), now + kMarkMs);
        } else if (pipe && e.isWouldBlock()) {
            pipe->flash(QStringLiteral("EAGAIN: empty"), now + kMarkMs);
        }
        break;
    case EventKind::Select: {
        const ProcessInfo *p = m_replay.process(e.pid);
        int ready = 0;
        for (int fd = 0; fd < Event::kMaxFd; ++fd) {
            if (!Event::bit(e.ready, fd))
                continue;
            ++ready;
            if (p)
                if (const auto it = p->fds.find(fd); it != p->fds.end())
                    if (PipeItem *r = pipeItem(it->second.inode))
                        r->flash(QStringLiteral("ready"), now + kMarkMs);
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
        pipe->update(p, state.openEnds(p.inode, true), state.openEnds(p.inode, false), rate);
        History &h = m_history[p.inode];
        // At full speed most reads and writes are counted, not logged: show the sampled flow.
        if (now - h.lastEventChunkMs > 250) {
            const qint64 wrote = p.written - h.sampledWritten;
            const qint64 read = p.read - h.sampledRead;
            const std::set<pid_t> &writers = h.dataWriters.empty() ? h.lastWriters : h.dataWriters;
            const std::set<pid_t> &readers = h.dataReaders.empty() ? h.lastReaders : h.dataReaders;
            if (wrote > 0 && h.sampledWritten > 0 && !writers.empty())
                spawnChunk(QStringLiteral("+%1 (sampled)").arg(Units::bytes(wrote)), wrote,
                    routeTo(*writers.begin(), pipe, true, true));
            if (read > 0 && h.sampledRead > 0 && !readers.empty())
                spawnChunk(QStringLiteral("+%1 (sampled)").arg(Units::bytes(read)), read,
                    routeTo(*readers.begin(), pipe, false, false).toReversed());
            h.lastEventChunkMs = wrote > 0 || read > 0 ? now : h.lastEventChunkMs;
        }
        h.sampledWritten = p.written;
        h.sampledRead = p.read;
    }
    for (const ProcessInfo &p : state.processes())
        if (ProcessItem *item = processItem(p.pid))
            item->update(p, p.state == ProcessState::Held ? heldCall(p.pid) : QString());
    m_clock->wake();
}

void PipeScene::spawnChunk(const QString &label, qint64 bytes, const QPainterPath &route)
{
    if (route.elementCount() < 2)
        return;
    if (static_cast<int>(m_chunks.size()) >= kMaxChunks) {
        delete m_chunks.front();
        m_chunks.erase(m_chunks.begin());
    }
    auto *chunk = new ChunkItem(&m_theme, label, bytes, route, m_clock->now(), m_chunkMs);
    addItem(chunk);
    m_chunks.push_back(chunk);
}

bool PipeScene::advance(qint64 nowMs)
{
    bool moving = false;
    for (auto &[pid, item] : m_processes)
        moving |= item->animate(nowMs);
    for (auto &[inode, item] : m_pipes)
        moving |= item->animate(nowMs);
    for (auto it = m_chunks.begin(); it != m_chunks.end();) {
        if ((*it)->animate(nowMs)) {
            moving = true;
            ++it;
        } else {
            delete *it;
            it = m_chunks.erase(it);
        }
    }
    return moving;
}

} // namespace pipescope
