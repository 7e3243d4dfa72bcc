#include "ui/scene/fdannotator.h"

#include "core/model/runstate.h"

#include <QStringList>

namespace pipescope
{

namespace
{

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

bool gone(const ProcessInfo &p)
{
    return p.state == ProcessState::Exited || p.state == ProcessState::Reaped;
}

} // namespace

void FdAnnotator::noteEvents(const std::vector<Event> &events)
{
    for (const Event &e : events)
        noteEvent(e);
}

void FdAnnotator::noteEvents(const QVector<Event> &events)
{
    for (const Event &e : events)
        noteEvent(e);
}

void FdAnnotator::clear()
{
    m_usage.clear();
}

void FdAnnotator::noteEvent(const Event &e)
{
    Usage &u = m_usage[e.pid];
    switch (e.kind) {
    case EventKind::Read:
        if (e.inode && e.err == 0)
            u.readFrom.insert(e.inode);
        u.blocked = {};
        break;
    case EventKind::Write:
        if (e.inode && e.result > 0)
            u.wroteTo.insert(e.inode);
        u.blocked = {};
        break;
    case EventKind::Blocked: u.blocked = e; break;
    case EventKind::Woken:
    case EventKind::Exited:
    case EventKind::Reaped:
    case EventKind::Select:
    case EventKind::Wait:
    case EventKind::GateWait: u.blocked = {}; break;
    default: break;
    }
}

FdAnnotator::Row FdAnnotator::annotate(int pid, const FdEntry &e, const RunState &state, const Tables *tables) const
{
    Row r;
    r.entry = e;
    QStringList flags;
    if (e.nonBlocking)
        flags << QStringLiteral("O_NONBLOCK");
    if (e.closeOnExec)
        flags << QStringLiteral("close-on-exec");
    r.flags = flags.isEmpty() ? QStringLiteral("-") : flags.join(QStringLiteral(", "));
    if (e.fd == kTelemetryFd) {
        r.what = QStringLiteral("PipeScope telemetry (not part of the lesson)");
        return r;
    }
    static const char *const kStdio[] = {"stdin: ", "stdout: ", "stderr: "};
    const QString stdio = e.fd >= 0 && e.fd <= 2 ? QLatin1String(kStdio[e.fd]) : QString();
    if (e.socketInode)
        return annotateSocket(r, stdio, state, tables);
    if (!e.pipeInode) {
        r.what = stdio + fromStd(e.target);
        return r;
    }
    const PipeInfo *pipe = state.pipe(e.pipeInode);
    const QString end = e.writeEnd ? QStringLiteral("write end") : QStringLiteral("read end");
    // A FIFO is a pipe opened by name: said so, with the name.
    const bool fifo = pipe && pipe->kind == ChannelKind::Fifo;
    r.what = pipe ? stdio
            + QStringLiteral("%1 %2 [%3] %4")
                  .arg(fifo ? QStringLiteral("fifo") : QStringLiteral("pipe"))
                  .arg(pipe->index + 1)
                  .arg(e.pipeInode)
                  .arg(end)
            + (fifo ? QStringLiteral(" (%1)").arg(fromStd(pipe->path)) : QString())
                  : stdio + QStringLiteral("pipe [%1] %2, not the lesson's").arg(e.pipeInode).arg(end);
    if (!pipe)
        return r;
    r.pipeNumber = pipe->index + 1;

    // Who holds write ends of this pipe: in the kernel's tables when we have them, else in the run's events.
    QStringList holders;
    if (tables) {
        for (const auto &[holder, entries] : *tables) {
            const ProcessInfo *p = state.process(holder);
            for (const FdEntry &other : entries) {
                if (other.pipeInode == e.pipeInode && other.writeEnd)
                    holders
                        << QStringLiteral("%1 fd %2").arg(p ? fromStd(p->role) : QString::number(holder)).arg(other.fd);
            }
        }
        r.writeEndsOpen = static_cast<int>(holders.size());
    } else {
        for (const ProcessInfo &p : state.processes()) {
            if (gone(p))
                continue;
            for (const auto &[fd, ref] : p.fds) {
                if (ref.inode == e.pipeInode && ref.writeEnd)
                    holders << QStringLiteral("%1 fd %2").arg(fromStd(p.role)).arg(fd);
            }
        }
        r.writeEndsOpen = state.openEnds(e.pipeInode, true);
    }
    if (e.readEnd) {
        r.eof = r.writeEndsOpen == 0
            ? QStringLiteral("yes: no write end is open")
            : QStringLiteral("no: %1 write end%2 open (%3)")
                  .arg(r.writeEndsOpen)
                  .arg(r.writeEndsOpen == 1 ? QString() : QStringLiteral("s"), holders.join(QStringLiteral(", ")));
    } else {
        r.eof = QStringLiteral("(write end)");
    }

    const ProcessInfo *self = state.process(pid);
    const auto usage = m_usage.find(pid);
    const bool readIt = usage != m_usage.end() && usage->second.readFrom.count(e.pipeInode);
    const bool wroteIt = usage != m_usage.end() && usage->second.wroteTo.count(e.pipeInode);
    if (e.readEnd && wroteIt && !readIt) {
        r.shouldClose = true;
        r.advice = QStringLiteral("it only writes to pipe %1, this read end is unused").arg(pipe->index + 1);
        r.brief = QStringLiteral("unused, it only writes");
    } else if (e.writeEnd && readIt && !wroteIt) {
        r.shouldClose = true;
        r.advice
            = QStringLiteral("it only reads pipe %1; this write end denies its own reads EOF").arg(pipe->index + 1);
        r.brief = QStringLiteral("denies its own reads EOF");
    }
    if (!r.shouldClose && e.writeEnd && self) {
        // Not writing now: asleep in some other call, or an exec'd program that cannot know this fd.
        const bool ownBlockedWrite = usage != m_usage.end() && usage->second.blocked.kind == EventKind::Blocked
            && usage->second.blocked.requested == 1 && usage->second.blocked.fd == e.fd;
        const bool idle = self->external || (self->state == ProcessState::Blocked && !ownBlockedWrite);
        for (const ProcessInfo &p : state.processes()) {
            if (!idle || gone(p) || p.state != ProcessState::Blocked)
                continue;
            const auto pu = m_usage.find(p.pid);
            if (pu == m_usage.end() || pu->second.blocked.kind != EventKind::Blocked
                || pu->second.blocked.requested != 0)
                continue; // not blocked in read(2)
            const auto ref = p.fds.find(pu->second.blocked.fd);
            if (ref != p.fds.end() && ref->second.inode == e.pipeInode && !ref->second.writeEnd) {
                r.shouldClose = true;
                r.advice = QStringLiteral("%1 (pid %2) waits in read for EOF on pipe %3")
                               .arg(fromStd(p.role))
                               .arg(p.pid)
                               .arg(pipe->index + 1);
                r.brief = QStringLiteral("%1 waits for EOF").arg(fromStd(p.role));
                break;
            }
        }
    }
    const auto held = self ? self->fds.find(e.fd) : std::map<int, PipeEndRef>::const_iterator {};
    const bool acrossExec = self && (self->external || (held != self->fds.end() && held->second.acrossExec));
    if (!r.shouldClose && acrossExec && e.fd > 2) {
        r.shouldClose = true;
        r.advice = QStringLiteral("inherited through exec (no close-on-exec); %1 does not know it")
                       .arg(fromStd(self->program));
        r.brief = QStringLiteral("leaked through exec");
    }
    return r;
}

FdAnnotator::Row FdAnnotator::annotateSocket(Row r, const QString &stdio, const RunState &state, const Tables *tables)
{
    const FdEntry &e = r.entry;
    const PipeInfo *pair = state.pipe(e.socketInode);
    if (!pair || !pair->isSocket()) {
        r.what = stdio + QStringLiteral("socket [%1], not the lesson's").arg(e.socketInode);
        return r;
    }
    const bool first = e.socketInode == pair->inode;
    const std::uint64_t other = first ? pair->inode2 : pair->inode;
    r.pipeNumber = pair->index + 1;
    r.what = stdio
        + QStringLiteral("socket pair %1 [%2] end %3 of 2: reads and writes")
              .arg(pair->index + 1)
              .arg(e.socketInode)
              .arg(first ? 1 : 2);
    // A read here sees EOF once every copy of the other end is closed.
    QStringList holders;
    if (tables) {
        for (const auto &[holder, entries] : *tables) {
            const ProcessInfo *p = state.process(holder);
            for (const FdEntry &o : entries)
                if (o.socketInode == other)
                    holders << QStringLiteral("%1 fd %2").arg(p ? fromStd(p->role) : QString::number(holder)).arg(o.fd);
        }
    } else {
        for (const ProcessInfo &p : state.processes())
            if (!gone(p))
                for (const auto &[fd, ref] : p.fds)
                    if (ref.inode == other)
                        holders << QStringLiteral("%1 fd %2").arg(fromStd(p.role)).arg(fd);
    }
    r.writeEndsOpen = static_cast<int>(holders.size());
    r.eof = holders.isEmpty()
        ? QStringLiteral("yes: the other end is closed")
        : QStringLiteral("no: the other end is open (%1)").arg(holders.join(QStringLiteral(", ")));
    return r;
}

FdAnnotator::Tables FdAnnotator::readAll(const RunState &state)
{
    Tables tables;
    for (const ProcessInfo &p : state.processes()) {
        // An exited process's fds were closed by the kernel, and a reaped pid may already
        // belong to someone else: only the living are read.
        if (!gone(p) && ProcProbe::probe(p.pid).has_value())
            tables[p.pid] = ProcProbe::fdTable(p.pid);
    }
    return tables;
}

std::optional<std::vector<FdAnnotator::Row>> FdAnnotator::annotateTable(
    int pid, const Tables &tables, const RunState &state) const
{
    const auto it = tables.find(pid);
    if (it == tables.end())
        return std::nullopt;
    std::vector<Row> rows;
    rows.reserve(it->second.size());
    for (const FdEntry &e : it->second)
        rows.push_back(annotate(pid, e, state, &tables));
    return rows;
}

std::optional<std::vector<FdAnnotator::Row>> FdAnnotator::readTable(int pid, const RunState &state) const
{
    if (pid <= 0)
        return std::nullopt;
    Tables tables = readAll(state);
    if (!tables.count(pid) && state.process(pid) == nullptr && ProcProbe::probe(pid).has_value())
        tables[pid] = ProcProbe::fdTable(pid); // a process the run does not know (tests look at themselves)
    return annotateTable(pid, tables, state);
}

} // namespace pipescope
