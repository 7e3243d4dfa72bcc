#include "ui/lessons/fdtablemodel.h"

#include "core/model/runstate.h"
#include "ui/scene/theme.h"

#include <QBrush>

namespace pipescope
{

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
    m_annotator.noteEvents(events);
}

void FdTableModel::clearEvents()
{
    m_annotator.clear();
}

void FdTableModel::noteEvent(const Event &e)
{
    m_annotator.noteEvent(e);
}

int FdTableModel::rowOf(int fd) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].entry.fd == fd)
            return static_cast<int>(i);
    }
    return -1;
}

bool FdTableModel::refresh(const RunState &state)
{
    return show(m_annotator.readTable(m_pid, state));
}

bool FdTableModel::refresh(const RunState &state, const FdAnnotator::Tables &recorded)
{
    return show(m_annotator.annotateTable(m_pid, recorded, state));
}

bool FdTableModel::show(std::optional<std::vector<Row>> table)
{
    const bool alive = table.has_value();
    std::vector<Row> rows = alive ? std::move(*table) : std::vector<Row> {};
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
