// pipescope-cli trace, the kernel's own moves told as events: the pipe ends an
// exec closes (close-on-exec, even when the flag was set by an fcntl no event
// shows) get a Close event that says so, and the clean-up report counts them
// as closed at exec, not by the process. While stepping, a process that
// stopped at its next call while another is held shows as held too (its
// GateWait comes at once, and only once). A pipe the traced program inherits
// (`echo hi | pipescope-cli trace -- cat`) is shown: one "inherited" pipe
// event per end it holds.
#include "cliprocess.h"
#include "runharness.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <functional>

#include <fcntl.h>
#include <unistd.h>

using namespace pipescope::test;

class TestCliTraceLeftovers : public QObject
{
    Q_OBJECT

private:
    using Result = CliResult;

    static Result trace(const QStringList &args) { return runCli(QStringList {QStringLiteral("trace")} + args); }

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

    /// pipescope-cli trace --control-fd 40 --format jsonl ARGS, its report read as it comes.
    struct Controlled {
        static constexpr int kFd = 40;
        QProcess p;
        int control = -1;
        QByteArray pending;
        QList<QJsonObject> events;

        bool start(const QStringList &args)
        {
            int ends[2];
            if (pipe2(ends, O_CLOEXEC) != 0)
                return false;
            const int readEnd = fcntl(ends[0], F_DUPFD_CLOEXEC, kFd);
            close(ends[0]);
            control = ends[1];
            if (readEnd != kFd)
                return false;
            p.setChildProcessModifier([] {
                setsid();
                fcntl(kFd, F_SETFD, 0); // the CLI inherits it, nobody else
            });
            p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
                QStringList {QStringLiteral("trace"), QStringLiteral("--control-fd"), QString::number(kFd),
                    QStringLiteral("--format"), QStringLiteral("jsonl")}
                    + args);
            close(readEnd);
            p.setReadChannel(QProcess::StandardError);
            return p.waitForStarted(5000);
        }
        void send(const QByteArray &line) const { QCOMPARE(write(control, line.data(), line.size()), line.size()); }
        ~Controlled()
        {
            if (control >= 0)
                close(control);
            if (p.state() != QProcess::NotRunning) {
                p.kill();
                p.waitForFinished();
            }
        }
        /// Index of the first event from `from` on that matches, waiting up to timeoutMs; -1 if none came.
        qsizetype waitFor(const std::function<bool(const QJsonObject &)> &match, qsizetype from, int timeoutMs)
        {
            QDeadlineTimer deadline(timeoutMs);
            for (;;) {
                for (qsizetype i = from; i < events.size(); ++i) {
                    if (match(events[i]))
                        return i;
                }
                from = events.size();
                if (deadline.hasExpired() || !p.waitForReadyRead(int(deadline.remainingTime())))
                    return -1;
                pending += p.readAllStandardError();
                qsizetype end;
                while ((end = pending.indexOf('\n')) >= 0) {
                    const QByteArray line = pending.left(end);
                    pending.remove(0, end + 1);
                    if (line.startsWith('{'))
                        events << QJsonDocument::fromJson(line).object();
                }
            }
        }
    };

private slots:
    void otherStoppedProcessShowsHeld()
    {
        Controlled c;
        // Paused from the start; the shell forks a child for the pipeline's first stage.
        QVERIFY(c.start({QStringLiteral("--step"), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("echo hi | cat > /dev/null")}));
        const auto isKind
            = [](const char *name) { return [name](const QJsonObject &e) { return kind(e) == QLatin1String(name); }; };
        // Step the shell until its fork is done.
        qsizetype fork = -1;
        qsizetype gate = c.waitFor(isKind("gate"), 0, 10000);
        for (int steps = 0; fork < 0 && gate >= 0 && steps < 20; ++steps) {
            c.send("step\n");
            const qsizetype next = c.waitFor(
                [](const QJsonObject &e) {
                    return kind(e) == QLatin1String("gate") || kind(e) == QLatin1String("fork");
                },
                gate + 1, 10000);
            if (next >= 0 && kind(c.events[next]) == QLatin1String("fork"))
                fork = next;
            gate = next;
        }
        QVERIFY(fork >= 0);
        const int shell = c.events[fork].value(QStringLiteral("pid")).toInt();
        const int child = c.events[fork].value(QStringLiteral("other_pid")).toInt();
        // No step now: the shell is held at its next call, and the child, stopped at its
        // first, is reported held too, not left looking as if it ran.
        const auto gateOf = [](int pid) {
            return [pid](const QJsonObject &e) {
                return kind(e) == QLatin1String("gate") && e.value(QStringLiteral("pid")).toInt() == pid;
            };
        };
        QVERIFY(c.waitFor(gateOf(shell), fork + 1, 10000) >= 0);
        const qsizetype childGate = c.waitFor(gateOf(child), fork + 1, 10000);
        QVERIFY(childGate >= 0);
        // Really stopped by its tracer ('t'), before its call.
        QFile stat(QStringLiteral("/proc/%1/stat").arg(child));
        QVERIFY(stat.open(QIODevice::ReadOnly));
        const QByteArray text = stat.readAll();
        QCOMPARE(text.mid(text.lastIndexOf(')') + 2, 1), QByteArray("t"));
        // Full speed: everything finishes, and the child's held call got exactly one GateWait.
        c.send("run\n");
        QVERIFY(c.waitFor(isKind("run-finished"), childGate, 10000) >= 0);
        QVERIFY(c.p.waitForFinished(10000));
        QCOMPARE(c.p.exitCode(), 0);
        qsizetype childGates = 0;
        for (const QJsonObject &e : std::as_const(c.events))
            childGates += gateOf(child)(e) ? 1 : 0;
        QCOMPARE(childGates, 1);
        // Its held call came after its gate, as its first event of a call.
        const qsizetype childCall = c.waitFor(
            [child](const QJsonObject &e) {
                return e.value(QStringLiteral("pid")).toInt() == child && kind(e) != QLatin1String("gate")
                    && kind(e) != QLatin1String("process-started");
            },
            childGate + 1, 1000);
        QVERIFY(childCall > childGate);
        QVERIFY(processGone(child));
        QVERIFY(noChildrenLeft());
    }

    void execClosesAreEvents()
    {
        if (python().isEmpty())
            QSKIP("python3 is not installed (the README's Quick start installs it)");
        const Result r = trace(QStringList {QStringLiteral("--format"), QStringLiteral("jsonl")} + cloexecProgram());
        QCOMPARE(r.code, 0);
        const QList<QJsonObject> all = events(r.err);
        qsizetype pipeAt = -1, execAt = -1;
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (kind(all[i]) == QLatin1String("pipe") && pipeAt < 0
                && all[i].value(QStringLiteral("text")).toString() != QLatin1String("inherited"))
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

    void inheritedPipeIsShown()
    {
        // The shell makes the pipe and runs the CLI as the pipeline's last stage.
        QProcess sh;
        sh.setChildProcessModifier([] { setsid(); });
        sh.start(QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("echo hi | \"$0\" trace --format jsonl -- cat"),
                QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI"))});
        QVERIFY(sh.waitForStarted(5000));
        sh.closeWriteChannel();
        QVERIFY(sh.waitForFinished(30000));
        QCOMPARE(sh.exitCode(), 0);
        QCOMPARE(sh.readAllStandardOutput(), QByteArray("hi\n"));
        const QList<QJsonObject> all = events(sh.readAllStandardError());
        QVERIFY(!all.isEmpty());
        const int cat = all.first().value(QStringLiteral("other_pid")).toInt(); // run-started names the root
        QList<QJsonObject> inherited;
        for (const QJsonObject &e : all) {
            if (kind(e) == QLatin1String("pipe")
                && e.value(QStringLiteral("text")).toString() == QLatin1String("inherited")
                && e.value(QStringLiteral("fd")).toInt(-1) == 0)
                inherited << e;
        }
        QCOMPARE(inherited.size(), 1);
        const QJsonObject end = inherited.first();
        QCOMPARE(end.value(QStringLiteral("pid")).toInt(), cat);
        QVERIFY(!end.contains(QStringLiteral("fd2"))); // only its read end is cat's
        const qint64 inode = end.value(QStringLiteral("inode")).toInteger();
        QVERIFY(inode > 0);
        QVERIFY(end.value(QStringLiteral("line"))
                    .toString()
                    .startsWith(QStringLiteral("inherited pipe:[%1] read end at fd 0").arg(inode)));
        // cat's read of it is counted on that pipe: the 3 bytes echo wrote, then EOF.
        qint64 read = 0;
        bool eof = false;
        for (const QJsonObject &e : all) {
            if (kind(e) == QLatin1String("read") && e.value(QStringLiteral("inode")).toInteger() == inode) {
                read += e.value(QStringLiteral("result")).toInteger();
                eof = eof || e.value(QStringLiteral("eof")).toBool();
            }
        }
        QCOMPARE(read, 3);
        QVERIFY(eof);
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
