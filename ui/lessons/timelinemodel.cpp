#include "ui/lessons/timelinemodel.h"

#include "core/model/eventformat.h"

#include <algorithm>

namespace pipescope
{

void TimelineModel::clear()
{
    *this = TimelineModel();
}

std::int64_t TimelineModel::rel(std::int64_t ns) const
{
    return ns > m_startNs ? ns - m_startNs : 0;
}

int TimelineModel::laneOf(int pid) const
{
    for (std::size_t i = 0; i < m_lanes.size(); ++i) {
        if (m_lanes[i].pid == pid)
            return static_cast<int>(i);
    }
    return -1;
}

TimelineModel::Lane &TimelineModel::lane(int pid, const QString &role)
{
    const int i = laneOf(pid);
    if (i >= 0) {
        if (!role.isEmpty())
            m_lanes[static_cast<std::size_t>(i)].role = role;
        return m_lanes[static_cast<std::size_t>(i)];
    }
    Lane l;
    l.pid = pid;
    l.role = role;
    m_lanes.push_back(l);
    return m_lanes.back();
}

void TimelineModel::setState(int pid, ProcessState state, std::int64_t t, int index, const QString &detail)
{
    Lane &l = lane(pid, {});
    if (l.ended)
        return;
    if (!l.intervals.empty()) {
        Interval &last = l.intervals.back();
        if (last.state == state && last.detail == detail)
            return;
        // Clocks of different processes are one clock, but events arrive by
        // pipe order: never let an interval end before it began.
        t = std::max(t, last.startNs);
        last.endNs = t;
    }
    Interval next;
    next.state = state;
    next.startNs = t;
    next.eventIndex = index;
    next.detail = detail;
    l.intervals.push_back(next);
}

void TimelineModel::endLane(int pid, std::int64_t t)
{
    const int i = laneOf(pid);
    if (i < 0)
        return;
    Lane &l = m_lanes[static_cast<std::size_t>(i)];
    if (!l.intervals.empty() && l.intervals.back().endNs < 0)
        l.intervals.back().endNs = std::max(t, l.intervals.back().startNs);
    l.ended = true;
}

void TimelineModel::renameAfterExec(const Event &e)
{
    // A forked child carries its parent's name until it execs (a traced shell's children are all "sh"
    // at first): then its lane takes the program's. A child a scenario named itself keeps that name.
    const int i = laneOf(e.pid);
    const ProcessInfo *p = m_state.process(e.pid);
    if (i < 0 || !p)
        return;
    const int parent = laneOf(p->parent);
    Lane &l = m_lanes[static_cast<std::size_t>(i)];
    if (parent < 0 || l.role != m_lanes[static_cast<std::size_t>(parent)].role)
        return;
    const QString command = QString::fromUtf8(e.textView().data(), static_cast<int>(e.textView().size()));
    const QString program = command.section(QLatin1Char(' '), 0, 0).section(QLatin1Char('/'), -1);
    if (!program.isEmpty())
        l.role = program;
}

void TimelineModel::markIncomplete(int pid)
{
    if (const ProcessInfo *p = m_state.process(pid)) {
        for (const auto &[fd, end] : p->fds)
            m_pipes[end.inode].incomplete = true;
    }
}

void TimelineModel::link(const Span &w, const Span &r, std::uint64_t inode)
{
    const std::int64_t a = std::max(w.from, r.from);
    const std::int64_t b = std::min(w.to, r.to);
    if (b <= a)
        return;
    Arrow arrow;
    arrow.writeEvent = w.event;
    arrow.readEvent = r.event;
    arrow.fromPid = w.pid;
    arrow.toPid = r.pid;
    arrow.inode = inode;
    arrow.offset = a;
    arrow.bytes = b - a;
    arrow.writeNs = w.timeNs;
    arrow.readNs = r.timeNs;
    m_arrows.push_back(arrow);
    m_pipes[inode].attributed += b - a;
}

void TimelineModel::match(const Event &e, int index, std::int64_t t)
{
    // One stream per direction: a socket pair's read takes what its other end wrote.
    const PipeInfo *channel = m_state.pipe(e.inode);
    const std::uint64_t inode = channel && channel->isSocket() && e.kind == EventKind::Read
        ? (e.inode == channel->inode ? channel->inode2 : channel->inode)
        : e.inode;
    PipeBytes &bytes = m_pipes[inode];
    Stream &s = m_streams[inode];
    const bool write = e.kind == EventKind::Write;
    std::int64_t &offset = write ? s.writeOffset : s.readOffset;
    const Span span {index, e.pid, offset, offset + e.result, t};
    offset += e.result;
    (write ? bytes.writtenLogged : bytes.readLogged) += e.result;
    if (bytes.incomplete)
        return;
    // Pair the new span with the other side's spans seen so far; each pair meets once,
    // when the later of the two arrives.
    std::vector<Span> &others = write ? s.reads : s.writes;
    for (const Span &o : others)
        write ? link(span, o, inode) : link(o, span, inode);
    // Keep what the other side has not fully covered yet.
    const std::int64_t otherOffset = write ? s.readOffset : s.writeOffset;
    others.erase(
        std::remove_if(others.begin(), others.end(), [&](const Span &o) { return o.to <= span.to; }), others.end());
    if (span.to > otherOffset)
        (write ? s.writes : s.reads).push_back(span);
}

void TimelineModel::add(const std::vector<Event> &events)
{
    for (const Event &e : events)
        add(e);
}

void TimelineModel::add(const Event &e)
{
    const int index = m_count++;
    if (e.kind == EventKind::RunStarted)
        m_startNs = e.timeNs;
    m_state.apply(e);
    const std::int64_t t = rel(e.timeNs);
    m_endNs = std::max(m_endNs, t);
    switch (e.kind) {
    case EventKind::RunStarted:
    case EventKind::RunFinished:
    case EventKind::Watchdog: return;
    case EventKind::ProcessStarted:
        lane(e.pid, QString::fromUtf8(e.textView().data(), static_cast<int>(e.textView().size())));
        setState(e.pid, ProcessState::Running, t, index, {});
        return;
    case EventKind::Fork:
        if (e.result > 0) {
            // The child runs from the fork on, before it registers itself.
            lane(static_cast<int>(e.result), QString::fromUtf8(e.textView().data(), int(e.textView().size())));
            setState(static_cast<int>(e.result), ProcessState::Running, t, index, {});
        }
        break;
    case EventKind::Note:
        if (e.textView().find("counted, not logged") != std::string_view::npos)
            markIncomplete(e.pid);
        return;
    case EventKind::GateWait:
        setState(e.pid, ProcessState::Held, t, index,
            QStringLiteral("about to %1").arg(QLatin1String(eventKindName(e.pending))));
        return;
    case EventKind::Blocked:
        setState(
            e.pid, ProcessState::Blocked, t, index, QString::fromUtf8(e.textView().data(), int(e.textView().size())));
        return;
    case EventKind::Woken: setState(e.pid, ProcessState::Running, t, index, {}); return;
    case EventKind::Exited:
        setState(e.pid, ProcessState::Exited, t, index, QString::fromStdString(EventFormat::waitStatus(e.status)));
        return;
    case EventKind::Reaped: endLane(e.pid, t); return;
    case EventKind::Wait:
        if (e.otherPid > 0)
            endLane(e.otherPid, t);
        break;
    case EventKind::Exec:
        markIncomplete(e.pid);
        renameAfterExec(e);
        break;
    default: break;
    }
    if (e.pid <= 0 || laneOf(e.pid) < 0)
        return;
    // A syscall event: a held process ran from the call's start (it left its gate
    // then); a blocked one until the call returned.
    const Lane &l = m_lanes[static_cast<std::size_t>(laneOf(e.pid))];
    const bool wasHeld = !l.intervals.empty() && l.intervals.back().state == ProcessState::Held;
    setState(e.pid, ProcessState::Running, wasHeld && e.startNs > 0 ? rel(e.startNs) : t, index, {});
    if ((e.kind == EventKind::Write || e.kind == EventKind::Read) && e.err == 0 && e.result > 0 && e.inode)
        match(e, index, t);
}

} // namespace pipescope
