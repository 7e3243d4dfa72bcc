#pragma once

#include "event.h"
#include "procprobe.h"

#include <QAbstractTableModel>
#include <QString>

#include <map>
#include <set>
#include <vector>

namespace pipescope
{

class RunState;

/// One process's file descriptor table, read live from /proc/PID/fd and
/// fdinfo (never from the events), annotated from the run: which pipe each
/// end belongs to, how many write ends of that pipe are still open anywhere
/// (so whether a reader can ever see EOF), and the ends a correct program
/// would have closed. Those are flagged, by rule, never guessed:
///  - a read end of a pipe this process only writes (or a write end of one it
///    only reads), from the reads and writes it made;
///  - a write end held by a process that is not writing (blocked elsewhere, or
///    an exec'd program) while some process is blocked reading that pipe;
///  - a pipe end above stdio inherited by an exec'd program.
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
    static constexpr int kTelemetryFd = 1000;

    struct Row {
        FdEntry entry;
        QString what; ///< "pipe 1 (inode 1234): read end"
        QString flags; ///< "O_NONBLOCK, close-on-exec" or "-"
        int writeEndsOpen = -1; ///< pipes only: open write ends in the run's live processes
        QString eof; ///< read ends: "yes: ..." / "no: 2 write ends open (parent fd 4, ...)"
        bool shouldClose = false;
        QString advice; ///< why it is flagged
    };

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
    bool alive() const { return m_alive; }

    const std::vector<Row> &rows() const { return m_rows; }
    /// Row of fd, -1 when the process does not hold it.
    int rowOf(int fd) const;

private:
    struct Usage {
        std::set<std::uint64_t> readFrom;
        std::set<std::uint64_t> wroteTo;
        Event blocked; ///< the last Blocked event while it lasts (kind Note otherwise)
    };
    Row annotate(const FdEntry &entry, const RunState &state) const;

    int m_pid = 0;
    bool m_alive = false;
    std::vector<Row> m_rows;
    std::map<int, Usage> m_usage;
};

} // namespace pipescope
