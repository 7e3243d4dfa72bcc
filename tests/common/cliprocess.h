#pragma once

// pipescope-cli ($PIPESCOPE_CLI) run as a user's shell runs it, and this process's fds, for the CLI tests.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStringList>

#include <unistd.h>

namespace pipescope::test
{

struct CliResult {
    int code = -1; ///< exit status; -1 when it did not start, crashed or was killed at the time limit
    QByteArray out;
    QByteArray err;
};

/// Runs pipescope-cli with args and input on its stdin (then end of file). With ownSession it gets no
/// controlling terminal, so --step reads Enter from stdin, not /dev/tty.
inline CliResult runCli(
    const QStringList &args, const QByteArray &input = {}, int timeoutMs = 30000, bool ownSession = true)
{
    QProcess p;
    if (ownSession)
        p.setChildProcessModifier([] { setsid(); });
    p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")), args);
    if (!p.waitForStarted(5000))
        return {};
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError()};
}

/// This process's open fds and what they are, to name a leak.
inline QStringList openFds()
{
    QStringList out;
    const QDir dir(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : dir.entryList(QDir::NoDotAndDotDot | QDir::System | QDir::AllEntries))
        out << fd + QLatin1String(" -> ") + QFile::symLinkTarget(dir.filePath(fd));
    return out;
}

} // namespace pipescope::test
