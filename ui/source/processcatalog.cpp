#include "ui/source/processcatalog.h"

#include "core/watch/procreader.h"

#include <QFile>

#include <unistd.h>

#include <algorithm>

namespace pipescope
{

QVector<ProcessEntry> ProcessCatalog::list()
{
    QVector<ProcessEntry> out;
    const pid_t self = getpid();
    for (const pid_t pid : ProcReader::allPids()) {
        if (pid == 1 || pid == self)
            continue;
        const auto stat = ProcReader::stat(pid);
        if (!stat || stat->kernelThread() || stat->state == 'Z')
            continue;
        ProcessEntry e;
        e.pid = pid;
        e.name = QString::fromStdString(stat->comm);
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly))
            e.command = QString::fromLocal8Bit(cmdline.readAll().replace('\0', ' ')).trimmed();
        for (const FdLink &fd : ProcReader::fds(pid))
            e.pipeEnds += fd.pipeInode != 0;
        out.push_back(e);
    }
    // Processes holding pipes are what a watcher is for: they come first.
    std::stable_sort(out.begin(), out.end(),
        [](const ProcessEntry &a, const ProcessEntry &b) { return (a.pipeEnds > 0) > (b.pipeEnds > 0); });
    return out;
}

bool ProcessCatalog::matches(const ProcessEntry &entry, const QString &filter)
{
    const QString f = filter.trimmed();
    return f.isEmpty() || QString::number(entry.pid).contains(f) || entry.name.contains(f, Qt::CaseInsensitive)
        || entry.command.contains(f, Qt::CaseInsensitive);
}

} // namespace pipescope
