#pragma once

#include "core/model/event.h"

#include <QAbstractTableModel>
#include <QVector>

namespace pipescope
{

class RunState;

/// The event log: one strace-like row per event (time, pid, role, call),
/// rendered with the same EventFormat as the command line.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Pid, Role, Call, ColumnCount };

    explicit EventLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// Appends a batch (one insert for all rows); state names the roles.
    void append(const QVector<Event> &events, const RunState &state);
    void clear();
    const Event &event(int row) const { return m_rows.at(row).event; }

private:
    struct Row {
        Event event;
        QString role;
        QString call;
    };
    QVector<Row> m_rows;
    std::int64_t m_startNs = 0;
};

} // namespace pipescope
