#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace pipescope
{

/// One program traced from File > Trace a program...: what the dialog offers
/// again next time (the latest first, a short list).
struct RecentTrace {
    QString program; ///< as typed: a name found in PATH, or a path
    QString arguments; ///< as typed, split like a shell would (QProcess::splitCommand), without a shell
    QString directory; ///< the program's working directory; empty: PipeScope's own

    /// program followed by its arguments, for execvp.
    QStringList argv() const;
    /// Words as sh would split them ('single', "double" and \ quoting; '' is an empty word), but no
    /// expansion of any kind: no variables, globs or pipes (write sh and -c '...' for those).
    static QStringList splitArguments(const QString &text);
    /// "python3 examples/select_pipe.py  (in /home/me/course)" for the dialog's list.
    QString label() const;
    bool operator==(const RecentTrace &other) const = default;

    /// How many the settings keep.
    static constexpr int kMax = 8;
    /// list with latest in front, an equal older entry dropped, at most kMax long.
    static QVector<RecentTrace> remember(QVector<RecentTrace> list, const RecentTrace &latest);
};

} // namespace pipescope
