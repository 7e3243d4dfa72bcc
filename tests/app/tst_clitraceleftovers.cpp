// pipescope-cli trace, the kernel's own moves told as events: the pipe ends an
// exec closes (close-on-exec, even when the flag was set by an fcntl no event
// shows) get a Close event that says so, and the clean-up report counts them
// as closed at exec, not by the process.
#include "runharness.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <unistd.h>

using namespace pipescope::test;

class TestCliTraceLeftovers : public QObject
{
    Q_OBJECT

private:
    struct Result {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    static Result trace(const QStringList &args)
    {
        QProcess p;
        p.setChildProcessModifier([] { setsid(); });
        p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")), QStringList {QStringLiteral("trace")} + args);
        if (!p.waitForStarted(5000))
            return {};
        p.closeWriteChannel();
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
    }

    static QList<QJsonObject> events(const QByteArray &report)
    {
        QList<QJsonObject> out;
        for (const QByteArray &line : report.split('\n')) {
            if (line.startsWith('{'))
                out << QJsonDocument::fromJson(line).object();
        }
        return out;
    }

    static QString kind(const QJsonObject &e) { return e.value(QStringLiteral("kind")).toString(); }

    /// Debian's python3, not a version manager's shell-script shim (whose own
    /// processes would be traced too).
    static QString python()
    {
        const QString system = QStandardPaths::findExecutable(QStringLiteral("python3"), {QStringLiteral("/usr/bin")});
        return system.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("python3")) : system;
    }

    /// A pipe made without O_CLOEXEC whose write end then gets FD_CLOEXEC by
    /// fcntl (a call that makes no event), then an exec: the kernel closes the
    /// write end, the read end stays.
    static QStringList cloexecProgram()
    {
        return {QStringLiteral("--"), python(), QStringLiteral("-c"),
            QStringLiteral("import os, fcntl\n"
                           "r, w = os.pipe2(0)\n"
                           "fcntl.fcntl(w, fcntl.F_SETFD, fcntl.FD_CLOEXEC)\n"
                           "os.execvp('true', ['true'])\n")};
    }

private slots:
    void execClosesAreEvents()
    {
        if (python().isEmpty())
            QSKIP("python3 is not installed (the README's Quick start installs it)");
        const Result r = trace(QStringList {QStringLiteral("--format"), QStringLiteral("jsonl")} + cloexecProgram());
        QCOMPARE(r.code, 0);
        const QList<QJsonObject> all = events(r.err);
        qsizetype pipeAt = -1, execAt = -1;
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (kind(all[i]) == QLatin1String("pipe") && pipeAt < 0)
                pipeAt = i;
            if (kind(all[i]) == QLatin1String("exec")
                && all[i].value(QStringLiteral("text")).toString().startsWith(QLatin1String("true")))
                execAt = i;
        }
        QVERIFY(pipeAt >= 0);
        QVERIFY(execAt > pipeAt);
        const QJsonObject pipe = all[pipeAt];
        const int readFd = pipe.value(QStringLiteral("fd")).toInt();
        const int writeFd = pipe.value(QStringLiteral("fd2")).toInt();
        const qint64 inode = pipe.value(QStringLiteral("inode")).toInteger();
        const int pid = all[execAt].value(QStringLiteral("pid")).toInt();
        // Exactly one close of the pipe: the write end, by the exec, after it and saying so.
        QList<qsizetype> closes;
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (kind(all[i]) == QLatin1String("close") && all[i].value(QStringLiteral("inode")).toInteger() == inode)
                closes << i;
        }
        QCOMPARE(closes.size(), 1);
        const QJsonObject close = all[closes.first()];
        QVERIFY(closes.first() > execAt);
        QCOMPARE(close.value(QStringLiteral("fd")).toInt(), writeFd);
        QCOMPARE(close.value(QStringLiteral("pid")).toInt(), pid);
        QCOMPARE(close.value(QStringLiteral("text")).toString(), QStringLiteral("closed by exec (close-on-exec)"));
        QVERIFY(readFd != writeFd);
        QVERIFY(noChildrenLeft());
    }

    void cleanupCountsThemAtExec()
    {
        if (python().isEmpty())
            QSKIP("python3 is not installed (the README's Quick start installs it)");
        const Result r = trace(cloexecProgram());
        QCOMPARE(r.code, 0);
        const QString report = QString::fromUtf8(r.err);
        QVERIFY2(report.contains(QLatin1String("= 0  closed by exec (close-on-exec)")), qPrintable(report));
        // The write end: closed at exec, not by the process; the read end: left to the kernel.
        const QRegularExpression line(QStringLiteral(
            "\\d+ true: closed 0 pipe ends itself, 1 at exec \\(close-on-exec\\); left to the kernel at exit: fd \\d+ "
            "\\(pipe:\\[\\d+\\] read end\\)"));
        QVERIFY2(line.match(report).hasMatch(), qPrintable(report));
        QVERIFY(noChildrenLeft());
    }
};

QTEST_GUILESS_MAIN(TestCliTraceLeftovers)
#include "tst_clitraceleftovers.moc"
