#pragma once

#include "core/model/event.h"
#include "core/run/procprobe.h"

#include <QString>
#include <QVector>

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace pipescope
{

class RunState;

/// Annotates fd tables read live from /proc/PID/fd and fdinfo (never from the
/// events) with what the run knows: which pipe each end belongs to, how many
/// write ends of that pipe are still open in the run's live processes (counted
/// in their /proc tables too, so whether a reader can ever see EOF is the
/// kernel's answer), and the ends a correct program would have closed. Those are
/// flagged by rule, never guessed:
///  - a read end of a pipe this process only writes (or a write end of one it
///    only reads), from the reads and writes it made;
///  - a write end held by a process that is not writing (blocked elsewhere, or
///    an exec'd program) while some process is blocked reading that pipe;
///  - a pipe end above stdio inherited by an exec'd program.
/// Plain class (no QObject): the Lesson dock's table and the scene's node cards
/// each keep one, fed from the same event batches.
class FdAnnotator
{
public:
    /// The fd every scenario process has for its events (Tracee::kTelemetryFd).
    static constexpr int kTelemetryFd = 1000;

    struct Row {
        FdEntry entry;
        QString what; ///< "pipe 1 (inode 1234): read end"
        QString flags; ///< "O_NONBLOCK, close-on-exec" or "-"
        int pipeNumber = 0; ///< 1-based as in the scene, 0 when not one of the run's pipes
        int writeEndsOpen = -1; ///< pipes only: open write ends in the run's live processes' /proc tables
        QString eof; ///< read ends: "yes: ..." / "no: 2 write ends open (parent fd 4, ...)"
        bool shouldClose = false;
        QString advice; ///< why it is flagged
        QString brief; ///< the same in a few words, for a node's card ("child waits for EOF")
    };

    /// Learns from the run's events (all processes, in order): who read or wrote which pipe, who is blocked where.
    void noteEvent(const Event &event);
    void noteEvents(const std::vector<Event> &events);
    void noteEvents(const QVector<Event> &events);
    /// Forgets the events (a new run).
    void clear();

    /// Fd tables by pid, as /proc gave them at one moment.
    using Tables = std::map<int, std::vector<FdEntry>>;
    /// Reads the table of every live process of the run now (exited ones have none).
    static Tables readAll(const RunState &state);

    /// One fd of process pid, annotated from state and the events noted so far. Write ends
    /// are counted in tables when given (the kernel's view), else in the run's event model.
    Row annotate(int pid, const FdEntry &entry, const RunState &state, const Tables *tables = nullptr) const;
    /// Annotates pid's table from tables; nothing when tables has none for pid (it is gone).
    std::optional<std::vector<Row>> annotateTable(int pid, const Tables &tables, const RunState &state) const;
    /// Reads every live process's table now and annotates pid's; nothing once pid is gone.
    std::optional<std::vector<Row>> readTable(int pid, const RunState &state) const;

private:
    /// A socket pair's end: it reads and writes; EOF comes when the other end is closed.
    static Row annotateSocket(Row r, const QString &stdio, const RunState &state, const Tables *tables);

    struct Usage {
        std::set<std::uint64_t> readFrom;
        std::set<std::uint64_t> wroteTo;
        Event blocked; ///< the last Blocked event while it lasts (kind Note otherwise)
    };

    std::map<int, Usage> m_usage;
};

} // namespace pipescope
