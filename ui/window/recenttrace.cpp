#include "ui/window/recenttrace.h"

#include <QProcess>

namespace pipescope
{

QStringList RecentTrace::argv() const
{
    QStringList out {program.trimmed()};
    out += QProcess::splitCommand(arguments);
    return out;
}

QString RecentTrace::label() const
{
    QString text = program.trimmed();
    if (!arguments.trimmed().isEmpty())
        text += QLatin1Char(' ') + arguments.trimmed();
    if (!directory.isEmpty())
        text += QStringLiteral("  (in %1)").arg(directory);
    return text;
}

QVector<RecentTrace> RecentTrace::remember(QVector<RecentTrace> list, const RecentTrace &latest)
{
    list.removeAll(latest);
    list.prepend(latest);
    if (list.size() > kMax)
        list.resize(kMax);
    return list;
}

} // namespace pipescope
