#include "fdtablemodel.h"

#include "runstate.h"
#include "theme.h"

#include <QBrush>
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

FdTableModel::FdTableModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int FdTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int FdTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FdTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Fd: return QStringLiteral("fd");
    case What: return QStringLiteral("what");
    case Flags: return QStringLiteral("flags");
    case WriteEnds: return QStringLiteral("write ends open");
    case Eof: return QStringLiteral("EOF possible?");
    case Advice: return QStringLiteral("note");
    }
    return {};
}

QVariant FdTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()))
        return {};
    const Row &r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Fd: return r.entry.fd;
        case What: return r.what;
        case Flags: return r.flags;
        case WriteEnds: return r.writeEndsOpen >= 0 ? QVariant(r.writeEndsOpen) : QVariant(QStringLiteral("-"));
        case Eof: return r.eof;
        case Advice: return r.shouldClose ? QStringLiteral("\u26a0 close it: %1").arg(r.advice) : r.advice;
        }
        return {};
    case Qt::BackgroundRole:
        // Yellow (Okabe-Ito) with dark text: the warning sign and the words say it too.
        return r.shouldClose ? QVariant(QBrush(Theme::light().mark)) : QVariant();
    case Qt::ForegroundRole: return r.shouldClose ? QVariant(QBrush(Theme::light().markText)) : QVariant();
    case Qt::ToolTipRole: return r.advice.isEmpty() ? QVariant() : QVariant(r.advice);
    case ShouldCloseRole: return r.shouldClose;
    case PipeInodeRole: return static_cast<quint64>(r.entry.pipeInode);
    case FdRole: return r.entry.fd;
    }
    return {};
}

void FdTableModel::setProcess(int pid)
{
    if (pid == m_pid)
        return;
    beginResetModel();
    m_pid = pid;
    m_rows.clear();
    m_alive = false;
    endResetModel();
}

void FdTableModel::noteEvents(const std::vector<Event> &events)
{
    for (const Event &e : events)
        noteEvent(e);
}

void FdTableModel::clearEvents()
{
    m_usage.clear();
}

void FdTableModel::noteEvent(const Event &e)
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

int FdTableModel::rowOf(int fd) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].entry.fd == fd)
            return static_cast<int>(i);
    }
    return -1;
}

FdTableModel::Row FdTableModel::annotate(const FdEntry &e, const RunState &state) const
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
    if (!e.pipeInode) {
        r.what = stdio + fromStd(e.target);
        return r;
    }
    const PipeInfo *pipe = state.pipe(e.pipeInode);
    const QString end = e.writeEnd ? QStringLiteral("write end") : QStringLiteral("read end");
    r.what = pipe ? stdio + QStringLiteral("pipe %1 [%2] %3").arg(pipe->index + 1).arg(e.pipeInode).arg(end)
                  : stdio + QStringLiteral("pipe [%1] %2, not the lesson's").arg(e.pipeInode).arg(end);
    if (!pipe)
        return r;

    // Who holds write ends of this pipe, from the run's events.
    QStringList holders;
    for (const ProcessInfo &p : state.processes()) {
        if (gone(p))
            continue;
        for (const auto &[fd, ref] : p.fds) {
            if (ref.inode == e.pipeInode && ref.writeEnd)
                holders << QStringLiteral("%1 fd %2").arg(fromStd(p.role)).arg(fd);
        }
    }
    r.writeEndsOpen = state.openEnds(e.pipeInode, true);
    if (e.readEnd) {
        r.eof = r.writeEndsOpen == 0
            ? QStringLiteral("yes: no write end is open")
            : QStringLiteral("no: %1 write end%2 open (%3)")
                  .arg(r.writeEndsOpen)
                  .arg(r.writeEndsOpen == 1 ? QString() : QStringLiteral("s"), holders.join(QStringLiteral(", ")));
    } else {
        r.eof = QStringLiteral("(write end)");
    }

    const ProcessInfo *self = state.process(m_pid);
    const auto usage = m_usage.find(m_pid);
    const bool readIt = usage != m_usage.end() && usage->second.readFrom.count(e.pipeInode);
    const bool wroteIt = usage != m_usage.end() && usage->second.wroteTo.count(e.pipeInode);
    if (e.readEnd && wroteIt && !readIt) {
        r.shouldClose = true;
        r.advice = QStringLiteral("it only writes to pipe %1, this read end is unused").arg(pipe->index + 1);
    } else if (e.writeEnd && readIt && !wroteIt) {
        r.shouldClose = true;
        r.advice
            = QStringLiteral("it only reads pipe %1; this write end denies its own reads EOF").arg(pipe->index + 1);
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
                break;
            }
        }
    }
    if (!r.shouldClose && self && self->external && e.fd > 2) {
        r.shouldClose = true;
        r.advice = QStringLiteral("inherited through exec (no close-on-exec); %1 does not know it")
                       .arg(fromStd(self->program));
    }
    return r;
}

bool FdTableModel::refresh(const RunState &state)
{
    std::vector<Row> rows;
    const bool alive = m_pid > 0 && ProcProbe::probe(m_pid).has_value();
    if (alive) {
        for (const FdEntry &e : ProcProbe::fdTable(m_pid))
            rows.push_back(annotate(e, state));
    }
    if (rows.size() == m_rows.size()) {
        m_rows = std::move(rows);
        if (!m_rows.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }
    m_alive = alive;
    return alive;
}

} // namespace pipescope
