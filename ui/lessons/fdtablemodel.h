#pragma once

#include "core/model/event.h"
#include "ui/scene/fdannotator.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace pipescope
{

class RunState;

/// One process's file descriptor table, read live from /proc/PID/fd and
/// fdinfo (never from the events) and annotated by an FdAnnotator (see there
/// for the rules that flag the ends a correct program would have closed).
class FdTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Fd, What, Flags, WriteEnds, Eof, Advice, ColumnCount };
    enum Role {
        ShouldCloseRole = Qt::UserRole + 1, ///< bool
        PipeInodeRole, ///< quint64, 0 when not a pipe
        FdRole, ///< int
    };
    /// The fd every scenario process has for its events (Tracee::kTelemetryFd).
    static constexpr int kTelemetryFd = FdAnnotator::kTelemetryFd;
    using Row = FdAnnotator::Row;

    explicit FdTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// The process to show (its table is read at the next refresh).
    void setProcess(int pid);
    int pid() const { return m_pid; }
    /// Learns from the run's events (all processes, in order): who read or wrote which pipe, who is blocked where.
    void noteEvent(const Event &event);
    void noteEvents(const std::vector<Event> &events);
    /// Forgets the events (a new run).
    void clearEvents();
    /// Reads /proc/PID/fd now and annotates it from state; false (and no rows) once the process is gone.
    bool refresh(const RunState &state);
    /// Takes the table from recorded ones (a replay) instead of /proc; false when pid has none.
    bool refresh(const RunState &state, const FdAnnotator::Tables &recorded);
    bool alive() const { return m_alive; }

    const std::vector<Row> &rows() const { return m_rows; }
    /// Row of fd, -1 when the process does not hold it.
    int rowOf(int fd) const;

private:
    bool show(std::optional<std::vector<Row>> table);
    int m_pid = 0;
    bool m_alive = false;
    std::vector<Row> m_rows;
    FdAnnotator m_annotator;
};

} // namespace pipescope
