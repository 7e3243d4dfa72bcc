#pragma once

#include <QString>
#include <QVector>

namespace pipescope
{

/// One running process, as File > Watch a process... lists it.
struct ProcessEntry {
    qint64 pid = 0;
    QString name; ///< comm
    QString command; ///< its command line, arguments joined by spaces
    int pipeEnds = 0; ///< fds that are pipe ends
};

/// The processes this user can see in /proc that a watcher could follow (not
/// PID 1, not kernel threads, not this program), those holding pipes first.
class ProcessCatalog
{
public:
    static QVector<ProcessEntry> list();
    /// True when filter (any case) is in its pid, name or command line; an empty filter matches all.
    static bool matches(const ProcessEntry &entry, const QString &filter);
};

} // namespace pipescope
