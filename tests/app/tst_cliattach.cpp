// pipescope-cli trace --attach as a user meets it: a pipeline that is already
// running is attached (with the other stages found through its pipes), its
// reads and writes are reported, and Ctrl+C lets it go: every process alive,
// traced by nobody, and the pipeline ends with the right bytes and status.
// Every refusal is one line, exit 2, and leaves the target as it was.
#include "cliprocess.h"
#include "runharness.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

using namespace pipescope::test;

class TestCliAttach : public QObject
{
    Q_OBJECT

private:
    static QString cli() { return QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")); }

    static QByteArray procFile(int pid, const char *name)
    {
        QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    /// TracerPid of /proc/PID/status, -1 when it is gone.
    static int tracerOf(int pid)
    {
        for (const QByteArray &line : procFile(pid, "status").split('\n'))
            if (line.startsWith("TracerPid:"))
                return line.mid(10).trimmed().toInt();
        return -1;
    }

    /// Alive and not a zombie.
    static bool running(int pid)
    {
        const QByteArray stat = procFile(pid, "stat");
        const qsizetype paren = stat.lastIndexOf(')');
        return paren > 0 && stat.at(paren + 2) != 'Z' && stat.at(paren + 2) != 'X';
    }

    static QList<int> children(int pid)
    {
        QList<int> out;
        for (const QByteArray &p :
            procFile(pid, QStringLiteral("task/%1/children").arg(pid).toLatin1().constData()).split(' '))
            if (!p.trimmed().isEmpty())
                out << p.trimmed().toInt();
        return out;
    }

    struct Result {
        int code = -1;
        QByteArray err;
    };

    static Result attach(const QStringList &args)
    {
        QProcess p;
        p.start(cli(), QStringList {QStringLiteral("trace")} + args);
        if (!p.waitForStarted(5000) || !p.waitForFinished(20000))
            return {};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardError()};
    }

    /// A process of ours that waits (in its own session: no pipe shared with us).
    static void startSleeper(QProcess &p)
    {
        p.setStandardInputFile(QProcess::nullDevice());
        p.setStandardOutputFile(QProcess::nullDevice());
        p.setStandardErrorFile(QProcess::nullDevice());
        p.start(QStringLiteral("sleep"), {QStringLiteral("60")});
    }

private slots:
    void attachFollowPipesThenDetach()
    {
        const QStringList fdsBefore = openFds();
        QTemporaryDir dir;
        const QString count = dir.filePath(QStringLiteral("count"));
        // 4 KiB every 3 ms, 1500 times: about 5 s untraced, 6,144,000 bytes.
        constexpr qint64 kBytes = 4096LL * 1500;
        QProcess pipeline;
        pipeline.setStandardInputFile(QProcess::nullDevice());
        pipeline.setStandardOutputFile(QProcess::nullDevice());
        pipeline.setStandardErrorFile(QProcess::nullDevice());
        pipeline.setChildProcessModifier([] { setsid(); }); // its own group: the holder search stays in it
        pipeline.start(QStringLiteral("sh"),
            {QStringLiteral("-c"),
                QStringLiteral("'%1' 4096 3 1500 | cat | wc -c > '%2'")
                    .arg(QLatin1String(TRACE_PROGRAMS_DIR "/slowwriter"), count)});
        QVERIFY(pipeline.waitForStarted(5000));
        const int sh = int(pipeline.processId());
        // Until the three stages have exec'd their programs.
        const auto programs = [&] {
            QMap<QByteArray, int> out;
            for (const int pid : children(sh))
                out[procFile(pid, "comm").trimmed()] = pid;
            return out;
        };
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto p = programs();
                return p.contains("slowwriter") && p.contains("cat") && p.contains("wc");
            },
            5000));
        const QList<int> stages = programs().values();
        const int writer = programs().value("slowwriter");
        QVERIFY(writer > 0);

        QProcess tracer;
        tracer.setReadChannel(QProcess::StandardError);
        tracer.start(cli(),
            {QStringLiteral("trace"), QStringLiteral("--attach"), QString::number(writer),
                QStringLiteral("--follow-pipes"), QStringLiteral("--format"), QStringLiteral("jsonl")});
        QVERIFY(tracer.waitForStarted(5000));
        // Until each stage has been seen moving bytes: writer writes, cat reads and writes, wc reads.
        QMap<int, QSet<QString>> seen;
        QMap<int, QString> names;
        QMap<QString, quint64> inodes; // "writer write" -> inode
        QByteArray pending;
        const auto complete = [&] {
            QSet<QString> need;
            for (auto it = names.cbegin(); it != names.cend(); ++it) {
                if (it.value() == QLatin1String("slowwriter") && !seen[it.key()].contains(QStringLiteral("write")))
                    return false;
                if (it.value() == QLatin1String("cat") && seen[it.key()].size() < 2)
                    return false;
                if (it.value() == QLatin1String("wc") && !seen[it.key()].contains(QStringLiteral("read")))
                    return false;
            }
            return names.size() >= 3;
        };
        QDeadlineTimer deadline(15000);
        while (!complete()) {
            if (deadline.hasExpired() || !tracer.waitForReadyRead(int(deadline.remainingTime()))) {
                const Result refused {tracer.exitCode(), tracer.readAllStandardError()};
                if (refused.err.contains("not permitted"))
                    QSKIP(refused.err.constData());
                QFAIL(qPrintable(QStringLiteral("stages not all seen: ") + QString::fromUtf8(pending)));
            }
            pending += tracer.readAllStandardError();
            qsizetype end;
            while ((end = pending.indexOf('\n')) >= 0) {
                const QJsonObject e = QJsonDocument::fromJson(pending.left(end)).object();
                pending.remove(0, end + 1);
                const QString kind = e.value(QStringLiteral("kind")).toString();
                const int pid = e.value(QStringLiteral("pid")).toInt();
                if (kind == QLatin1String("process-started") && stages.contains(pid))
                    names[pid] = e.value(QStringLiteral("role")).toString();
                if ((kind == QLatin1String("read") || kind == QLatin1String("write"))
                    && e.value(QStringLiteral("result")).toInteger() > 0) {
                    seen[pid].insert(kind);
                    inodes[names.value(pid) + QLatin1Char(' ') + kind]
                        = e.value(QStringLiteral("inode")).toVariant().toULongLong();
                }
            }
        }
        // The pipes between the stages: what one writes into, the next reads from.
        QVERIFY(inodes.value(QStringLiteral("slowwriter write")) != 0);
        QCOMPARE(inodes.value(QStringLiteral("cat read")), inodes.value(QStringLiteral("slowwriter write")));
        QCOMPARE(inodes.value(QStringLiteral("wc read")), inodes.value(QStringLiteral("cat write")));
        QVERIFY(inodes.value(QStringLiteral("cat write")) != inodes.value(QStringLiteral("cat read")));

        // Ctrl+C: detach, kill nothing.
        kill(pid_t(tracer.processId()), SIGINT);
        QVERIFY(tracer.waitForFinished(10000));
        QCOMPARE(tracer.exitStatus(), QProcess::NormalExit);
        QCOMPARE(tracer.exitCode(), 0);
        const QByteArray rest = pending + tracer.readAllStandardError();
        QVERIFY2(rest.contains("\"kind\":\"run-finished\"") && rest.contains("detached"), rest.right(400).constData());
        for (const int pid : stages) {
            QVERIFY2(running(pid), qPrintable(QString::number(pid)));
            QCOMPARE(tracerOf(pid), 0);
        }
        // It goes on as before and ends well: every byte, exit status 0.
        QVERIFY(pipeline.waitForFinished(60000));
        QCOMPARE(pipeline.exitStatus(), QProcess::NormalExit);
        QCOMPARE(pipeline.exitCode(), 0);
        QFile result(count);
        QVERIFY(result.open(QIODevice::ReadOnly));
        QCOMPARE(result.readAll().trimmed().toLongLong(), kBytes);
        result.close();
        for (const int pid : stages)
            QVERIFY(processGone(pid));
        QVERIFY(noChildrenLeft());
        QCOMPARE(openFds(), fdsBefore);
    }

    void attachEndsWhenAllHaveExited()
    {
        // Without Ctrl+C the trace ends by itself once every attached process is gone.
        QProcess pipeline;
        pipeline.setStandardInputFile(QProcess::nullDevice());
        pipeline.setStandardOutputFile(QProcess::nullDevice());
        pipeline.setChildProcessModifier([] { setsid(); });
        pipeline.start(QStringLiteral("sh"),
            {QStringLiteral("-c"),
                QStringLiteral("'%1' 4096 3 300 | cat > /dev/null")
                    .arg(QLatin1String(TRACE_PROGRAMS_DIR "/slowwriter"))});
        QVERIFY(pipeline.waitForStarted(5000));
        const int sh = int(pipeline.processId());
        int writer = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const int pid : children(sh))
                    if (procFile(pid, "comm").trimmed() == "slowwriter")
                        writer = pid;
                return writer > 0;
            },
            5000));
        QProcess tracer;
        tracer.start(cli(),
            {QStringLiteral("trace"), QStringLiteral("--attach"), QString::number(writer),
                QStringLiteral("--follow-pipes"), QStringLiteral("--format"), QStringLiteral("jsonl")});
        const bool finished = tracer.waitForFinished(30000);
        const QByteArray err = tracer.readAllStandardError();
        QVERIFY2(finished, err.right(1500).constData());
        if (tracer.exitCode() == 2 && err.contains("not permitted"))
            QSKIP(err.constData());
        QCOMPARE(tracer.exitCode(), 0);
        QVERIFY2(err.contains("every attached process has exited"), err.right(300).constData());
        QVERIFY(err.contains("\"kind\":\"exited\",\"pid\":" + QByteArray::number(writer)));
        QVERIFY(pipeline.waitForFinished(10000));
        QCOMPARE(pipeline.exitCode(), 0);
        QVERIFY(noChildrenLeft());
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("line");
        QTest::newRow("no such process") << QStringLiteral("2147483647")
                                         << QStringLiteral("attach: 2147483647: no such process");
        QTest::newRow("init") << QStringLiteral("1")
                              << QStringLiteral("attach: 1 is init: PipeScope does not attach to PID 1");
        QTest::newRow("its parent") << QString::number(getpid())
                                    << QStringLiteral("attach: %1 (tst_cliattach) is PipeScope itself or one of its "
                                                      "parents")
                                           .arg(getpid());
        QTest::newRow("not a pid") << QStringLiteral("abc") << QStringLiteral("--attach: 'abc' is not a process id");
        QTest::newRow("and a program") << QStringLiteral("1 -- true")
                                       << QStringLiteral("--attach takes a running process, not a program: drop "
                                                         "'true'");
    }

    void refusals()
    {
        QFETCH(QString, target);
        QFETCH(QString, line);
        const Result r = attach(QStringList {QStringLiteral("--attach")} + target.split(QLatin1Char(' ')));
        QCOMPARE(r.code, 2);
        QCOMPARE(QString::fromUtf8(r.err), QStringLiteral("pipescope-cli: error: ") + line + QLatin1Char('\n'));
        QVERIFY(noChildrenLeft());
    }

    void refusesItself()
    {
        // The shell execs the CLI: $$ is then the CLI's own pid.
        QProcess p;
        p.start(QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("exec \"$0\" trace --attach $$ --follow-pipes"), cli()});
        QVERIFY(p.waitForStarted(5000));
        const qint64 self = p.processId();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.startsWith(
                     QStringLiteral("pipescope-cli: error: attach: %1 (pipescope-cli) is PipeScope itself").arg(self)),
            qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
    }

    void refusesATracedProcess()
    {
        // A process traced by a first pipescope-cli: the second names it and leaves it traced.
        QProcess first;
        first.setStandardInputFile(QProcess::nullDevice());
        first.setReadChannel(QProcess::StandardOutput);
        first.start(cli(),
            {QStringLiteral("trace"), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--"),
                QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo $$; exec sleep 60")});
        QVERIFY(first.waitForStarted(5000));
        QVERIFY(first.waitForReadyRead(10000));
        const int traced = first.readAllStandardOutput().trimmed().toInt();
        QVERIFY(traced > 0);
        QCOMPARE(tracerOf(traced), int(first.processId()));
        const Result r = attach({QStringLiteral("--attach"), QString::number(traced)});
        QCOMPARE(r.code, 2);
        QCOMPARE(QString::fromUtf8(r.err),
            QStringLiteral("pipescope-cli: error: attach: %1 (sleep) is already traced by %2 (pipescope-cli); a "
                           "process has one tracer at a time\n")
                .arg(traced)
                .arg(first.processId()));
        QCOMPARE(tracerOf(traced), int(first.processId())); // untouched
        first.terminate();
        QVERIFY(first.waitForFinished(10000));
        QVERIFY(processGone(traced));
    }

    void refusesWithoutPermission()
    {
        // As another user (nobody), attaching to a process of root: EPERM, and why.
        if (geteuid() != 0)
            QSKIP("needs root to run the CLI as another user");
        QProcess target;
        startSleeper(target);
        QVERIFY(target.waitForStarted(5000));
        QProcess p;
        p.setChildProcessModifier([] {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(99);
        });
        p.start(cli(), {QStringLiteral("trace"), QStringLiteral("--attach"), QString::number(target.processId())});
        QVERIFY(p.waitForFinished(10000));
        if (p.exitCode() == 99 || p.error() == QProcess::FailedToStart)
            QSKIP("cannot become user nobody here");
        QCOMPARE(p.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
            QStringLiteral("pipescope-cli: error: attach: %1 (sleep): not permitted: it belongs to another user "
                           "(uid 0)\n")
                .arg(target.processId()));
        QVERIFY(running(int(target.processId())));
        QCOMPARE(tracerOf(int(target.processId())), 0);
        target.kill();
        QVERIFY(target.waitForFinished(5000));
    }
};

QTEST_GUILESS_MAIN(TestCliAttach)
#include "tst_cliattach.moc"
