#include "ui/lessons/eventlogmodel.h"

#include "core/model/eventformat.h"
#include "core/model/runstate.h"

#include <QBrush>

namespace pipescope
{

EventLogModel::EventLogModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time: return QString::number(static_cast<double>(row.event.timeNs - m_startNs) / 1e9, 'f', 6);
        case Pid: return row.event.pid;
        case Role: return row.role;
        case Call: return row.call;
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() <= Pid)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Call)
        return row.call;
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return QStringLiteral("time (s)");
    case Pid: return QStringLiteral("pid");
    case Role: return QStringLiteral("role");
    case Call: return QStringLiteral("call");
    default: return {};
    }
}

void EventLogModel::append(const QVector<Event> &events, const RunState &state)
{
    if (events.isEmpty())
        return;
    if (m_startNs == 0)
        m_startNs = state.startNs() ? state.startNs() : events.front().timeNs;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(events.size()) - 1);
    for (const Event &e : events) {
        const ProcessInfo *p = state.process(e.pid);
        const bool runner
            = e.kind == EventKind::RunStarted || e.kind == EventKind::RunFinished || e.kind == EventKind::Watchdog;
        m_rows.push_back({e, runner ? QStringLiteral("runner") : QString::fromStdString(p ? p->role : std::string()),
            QString::fromStdString(EventFormat::call(e, EventFormat::channelOf(e, state)))});
    }
    endInsertRows();
}

void EventLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_startNs = 0;
    endResetModel();
}

} // namespace pipescope
