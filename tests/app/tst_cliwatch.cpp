// pipescope-cli watch as a user meets it: the pipes and bytes of a real
// pipeline in JSON lines, the bottleneck named, --pid of one stage finding the
// others, Ctrl+C stopping a started command's whole tree but never a --pid's,
// and bad input refused in one line.
#include "core/run/procprobe.h"
#include "core/watch/procreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

using namespace pipescope;

namespace
{

QString cliPath()
{
    return QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI"));
}

/// The JSON objects among the lines of out (the command's own output shares stdout).
QList<QJsonObject> objects(const QByteArray &out)
{
    QList<QJsonObject> list;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.startsWith('{'))
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError)
            qWarning("not JSON (%s): %s", qPrintable(error.errorString()), line.constData());
        list << doc.object();
    }
    return list;
}

QJsonObject pipeBetween(const QJsonObject &o, const QString &from, const QString &to)
{
    for (const QJsonValue &v : o.value(QStringLiteral("pipes")).toArray()) {
        const QJsonObject p = v.toObject();
        if (p.value(QStringLiteral("from")).toString() == from && p.value(QStringLiteral("to")).toString() == to)
            return p;
    }
    return {};
}

QList<pid_t> pidsNamed(const QJsonObject &o, const QString &name)
{
    QList<pid_t> out;
    for (const QJsonValue &v : o.value(QStringLiteral("processes")).toArray()) {
        const QJsonObject p = v.toObject();
        if (p.value(QStringLiteral("name")).toString() == name
            && p.value(QStringLiteral("state")).toString() != QLatin1String("exited"))
            out << p.value(QStringLiteral("pid")).toInt();
    }
    return out;
}

struct Result {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Result cli(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(cliPath(), args);
    if (!p.waitForStarted(5000))
        return {};
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError()};
}

/// Reads the CLI's JSON lines as they come until one satisfies `done`; the
/// object, or an empty one on timeout or exit.
QJsonObject readUntil(
    QProcess &p, QByteArray &seen, const std::function<bool(const QJsonObject &)> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        while (p.canReadLine()) {
            const QByteArray line = p.readLine();
            seen += line;
            const QList<QJsonObject> o = objects(line);
            if (!o.isEmpty() && done(o.first()))
                return o.first();
        }
        if (p.state() != QProcess::Running)
            break;
        p.waitForReadyRead(static_cast<int>(std::max<qint64>(1, timeoutMs - timer.elapsed())));
    }
    return {};
}

bool gone(pid_t pid)
{
    return !ProcReader::stat(pid); // neither running nor a zombie
}

bool alive(pid_t pid)
{
    const auto s = ProcReader::stat(pid);
    return s && s->state != 'Z';
}

std::string comm(pid_t pid)
{
    const auto s = ProcReader::stat(pid);
    return s ? s->comm : std::string();
}

} // namespace

class TstCliWatch : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Stages of pipelines started here come back to us when their shell is killed: reap them.
        prctl(PR_SET_CHILD_SUBREAPER, 1);
    }

    void showsThreeStagesTwoPipesAndTheirBytes()
    {
        const Result r = cli({QStringLiteral("watch"), QStringLiteral("--interval"), QStringLiteral("10"),
            QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--"), QStringLiteral("sh"),
            QStringLiteral("-c"), QStringLiteral("yes | head -c 100M | wc -c")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("\n104857600\n") || r.out.startsWith("104857600\n"), r.out.right(300).constData());
        const QList<QJsonObject> all = objects(r.out);
        QVERIFY(all.size() >= 2);
        for (int i = 0; i + 1 < all.size(); ++i)
            QCOMPARE(all.at(i).value(QStringLiteral("type")).toString(), QStringLiteral("sample"));
        const QJsonObject summary = all.last();
        QCOMPARE(summary.value(QStringLiteral("type")).toString(), QStringLiteral("summary"));
        QCOMPARE(summary.value(QStringLiteral("command_status")).toInt(), 0);
        // What watching cost: our own CPU, one thread, so never more than the watch's wall time.
        const double cpu = summary.value(QStringLiteral("watcher_cpu_s")).toDouble(-1);
        QVERIFY2(cpu >= 0 && cpu <= summary.value(QStringLiteral("seconds")).toDouble() + 0.1,
            qPrintable(QString::number(cpu)));
        QStringList names;
        for (const QJsonValue &v : summary.value(QStringLiteral("processes")).toArray())
            names << v.toObject().value(QStringLiteral("name")).toString();
        for (const char *stage : {"yes", "head", "wc"})
            QVERIFY2(names.contains(QLatin1String(stage)), stage);
        const qint64 total = 100 << 20;
        for (const auto &[from, to] : {std::pair {"yes", "head"}, std::pair {"head", "wc"}}) {
            const QJsonObject p = pipeBetween(summary, QLatin1String(from), QLatin1String(to));
            QVERIFY2(!p.isEmpty(), from);
            QCOMPARE(p.value(QStringLiteral("capacity")).toInt(), 65536);
            QCOMPARE(p.value(QStringLiteral("basis")).toString(), QStringLiteral("both"));
            const qint64 bytes = p.value(QStringLiteral("bytes")).toInteger();
            // A reader's count includes its loader's few KiB; never more than that past what went through.
            QVERIFY2(bytes <= total + 16 * 1024, qPrintable(QString::number(bytes)));
            if (p.value(QStringLiteral("bytes_final")).toBool()) {
                QVERIFY2(bytes + p.value(QStringLiteral("bytes_slack")).toInteger() >= total,
                    qPrintable(QString::number(bytes)));
                // 100 MiB is whole KiB, so even the kernel's exit accounting loses nothing of
                // what head wrote: exactly what wc counted.
                if (QLatin1String(from) == QLatin1String("head"))
                    QCOMPARE(bytes, total);
            }
        }
        // Three stages, two pipes between them: no other pipe joins two of them.
        int inner = 0;
        for (const QJsonValue &v : summary.value(QStringLiteral("pipes")).toArray()) {
            const QJsonObject p = v.toObject();
            const QStringList stages {QStringLiteral("yes"), QStringLiteral("head"), QStringLiteral("wc")};
            inner += stages.contains(p.value(QStringLiteral("from")).toString())
                && stages.contains(p.value(QStringLiteral("to")).toString());
        }
        QCOMPARE(inner, 2);
        // The watch ended with its command: every process it saw has been reaped.
        for (const QJsonValue &v : summary.value(QStringLiteral("processes")).toArray()) {
            const pid_t pid = v.toObject().value(QStringLiteral("pid")).toInt();
            QVERIFY2(gone(pid), qPrintable(QString::number(pid)));
        }
    }

    void namesTheSlowStageTheBottleneck()
    {
        const Result r = cli({QStringLiteral("watch"), QStringLiteral("--interval"), QStringLiteral("20"),
            QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--"), QStringLiteral("sh"),
            QStringLiteral("-c"), QStringLiteral("head -c 1M /dev/zero | dd ibs=1 obs=64k status=none | wc -c")});
        QCOMPARE(r.code, 0);
        const QList<QJsonObject> all = objects(r.out);
        QVERIFY(!all.isEmpty());
        const QJsonObject b = all.last().value(QStringLiteral("bottleneck")).toObject();
        const QByteArray text = b.value(QStringLiteral("text")).toString().toUtf8();
        QVERIFY2(b.value(QStringLiteral("name")).toString() == QStringLiteral("dd"), text.constData());
        QVERIFY(b.value(QStringLiteral("running")).toDouble() >= 0.5);
        // dd reads one byte per read(2): hundreds of times slower than head and wc, so even on busy
        // cores wc waits on its empty output pipe and head sleeps on its full input pipe (gzip -1,
        // the README's example, can nearly keep up with a CPU-starved head). How often head is
        // seen asleep depends on the kernel (EEVDF hides many sleeps), so only "seen" is asserted.
        QVERIFY2(b.value(QStringLiteral("output_empty")).toDouble() >= 0.8, text.constData());
        QVERIFY2(b.value(QStringLiteral("input_full")).toDouble() > 0, text.constData());
        qInfo("%s", text.constData());
        QVERIFY(text.startsWith("dd (running "));
    }

    void pidOfTheMiddleStageFindsTheOthersAndCtrlCLeavesThemRunning()
    {
        QProcess pipeline;
        pipeline.setStandardInputFile(QProcess::nullDevice());
        pipeline.setStandardOutputFile(QProcess::nullDevice());
        pipeline.setStandardErrorFile(QProcess::nullDevice());
        pipeline.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("sleep 60 | cat | sleep 60")});
        QVERIFY(pipeline.waitForStarted(5000));
        const pid_t sh = static_cast<pid_t>(pipeline.processId());
        // Bounded wait on the kernel's word: three stages, exec'd.
        std::vector<pid_t> stages;
        QTRY_VERIFY_WITH_TIMEOUT((stages = ProcProbe::children(sh)).size() == 3
                && std::count_if(stages.begin(), stages.end(), [](pid_t p) { return comm(p) == "sleep"; }) == 2
                && std::count_if(stages.begin(), stages.end(), [](pid_t p) { return comm(p) == "cat"; }) == 1,
            10000);
        const pid_t middle = *std::find_if(stages.begin(), stages.end(), [](pid_t p) { return comm(p) == "cat"; });

        QProcess watch;
        watch.start(cliPath(),
            {QStringLiteral("watch"), QStringLiteral("--interval"), QStringLiteral("50"), QStringLiteral("--format"),
                QStringLiteral("jsonl"), QStringLiteral("--pid"), QString::number(middle)});
        QVERIFY(watch.waitForStarted(5000));
        QByteArray seen;
        const QJsonObject sample = readUntil(
            watch, seen,
            [](const QJsonObject &o) {
                return !pipeBetween(o, QStringLiteral("sleep"), QStringLiteral("cat")).isEmpty()
                    && !pipeBetween(o, QStringLiteral("cat"), QStringLiteral("sleep")).isEmpty();
            },
            20000);
        QVERIFY2(!sample.isEmpty(), seen.right(500).constData());
        QList<pid_t> found = pidsNamed(sample, QStringLiteral("sleep")) + pidsNamed(sample, QStringLiteral("cat"));
        for (const pid_t pid : stages)
            QVERIFY(found.contains(pid));

        kill(static_cast<pid_t>(watch.processId()), SIGINT);
        QVERIFY(watch.waitForFinished(10000));
        QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
        QCOMPARE(watch.exitCode(), 0);
        const QList<QJsonObject> rest = objects(watch.readAllStandardOutput());
        QVERIFY(!rest.isEmpty());
        QCOMPARE(rest.last().value(QStringLiteral("type")).toString(), QStringLiteral("summary"));
        // Watching stopped nothing, and Ctrl+C on --pid killed nothing.
        for (const pid_t pid : stages)
            QVERIFY(alive(pid));

        kill(sh, SIGKILL);
        for (const pid_t pid : stages)
            kill(pid, SIGKILL);
        QVERIFY(pipeline.waitForFinished(10000));
        for (const pid_t pid : stages) {
            // Orphaned by their shell, they came back to us as the subreaper.
            const pid_t reaped = waitpid(pid, nullptr, 0);
            QVERIFY(reaped == pid || (reaped < 0 && errno == ECHILD));
            QVERIFY(gone(pid));
        }
    }

    /// Killed by SIGKILL the watcher runs no code, yet the command's children must not run on
    /// unwatched: its guardian, a child that outlives it, kills the command's process group.
    void sigkillOfTheWatcherTakesTheCommandsTreeToo()
    {
        QProcess watch;
        watch.start(cliPath(),
            {QStringLiteral("watch"), QStringLiteral("--interval"), QStringLiteral("50"), QStringLiteral("--format"),
                QStringLiteral("jsonl"), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("{ sleep 60 | cat; } > /dev/null")});
        QVERIFY(watch.waitForStarted(5000));
        QByteArray seen;
        const QJsonObject sample = readUntil(
            watch, seen,
            [](const QJsonObject &o) {
                return pidsNamed(o, QStringLiteral("sleep")).size() == 1
                    && pidsNamed(o, QStringLiteral("cat")).size() == 1;
            },
            20000);
        QVERIFY2(!sample.isEmpty(), seen.right(500).constData());
        const QList<pid_t> stages
            = pidsNamed(sample, QStringLiteral("sleep")) + pidsNamed(sample, QStringLiteral("cat"));
        // The guardian is the watcher's child, never a stage of the pipeline.
        QVERIFY(!seen.contains("\"pipescope-cli\""));
        // pidfds: poll says when each stage is gone, without polling /proc in a loop.
        QList<int> pidfds;
        for (const pid_t pid : stages) {
            const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
            QVERIFY2(fd >= 0, qPrintable(QString::number(pid)));
            pidfds << fd;
        }
        kill(static_cast<pid_t>(watch.processId()), SIGKILL);
        QVERIFY(watch.waitForFinished(10000));
        for (const int fd : std::as_const(pidfds)) {
            pollfd p {fd, POLLIN, 0};
            QCOMPARE(poll(&p, 1, 10000), 1); // readable: that process has exited
            close(fd);
        }
        for (const pid_t pid : stages)
            QVERIFY2(!alive(pid), qPrintable(QString::number(pid)));
    }

    void ctrlCStopsTheCommandsWholeTree()
    {
        QProcess watch;
        watch.start(cliPath(),
            {QStringLiteral("watch"), QStringLiteral("--interval"), QStringLiteral("50"), QStringLiteral("--format"),
                QStringLiteral("jsonl"), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("sleep 60 | sleep 60")});
        QVERIFY(watch.waitForStarted(5000));
        QByteArray seen;
        const QJsonObject sample = readUntil(
            watch, seen, [](const QJsonObject &o) { return pidsNamed(o, QStringLiteral("sleep")).size() == 2; }, 20000);
        QVERIFY2(!sample.isEmpty(), seen.right(500).constData());
        QList<pid_t> tree = pidsNamed(sample, QStringLiteral("sleep")) + pidsNamed(sample, QStringLiteral("sh"));
        QCOMPARE(tree.size(), 3);

        kill(static_cast<pid_t>(watch.processId()), SIGINT);
        QVERIFY(watch.waitForFinished(10000));
        QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
        QCOMPARE(watch.exitCode(), 3);
        const QByteArray err = watch.readAllStandardError();
        QCOMPARE(err.count('\n'), 1);
        QVERIFY2(err.contains("killed and reaped"), err.constData());
        for (const pid_t pid : tree)
            QVERIFY2(gone(pid), qPrintable(QString::number(pid))); // not running, not a zombie
        const QList<QJsonObject> rest = objects(watch.readAllStandardOutput());
        QVERIFY(!rest.isEmpty());
        QCOMPARE(rest.last().value(QStringLiteral("type")).toString(), QStringLiteral("summary"));
    }

    void pidOfAnotherUsersProcessIsRefusedInOneLine()
    {
        if (geteuid() != 0)
            QSKIP("needs root, to run the watcher as another user");
        // A process of ours (root) that the watcher, run as nobody, sees in /proc without its fds.
        QProcess sleeper;
        sleeper.start(QStringLiteral("sleep"), {QStringLiteral("60")});
        QVERIFY(sleeper.waitForStarted(5000));
        QProcess watch;
        watch.setChildProcessModifier([] {
            // In the child between fork and exec: async-signal-safe calls only.
            if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
                _exit(120);
        });
        watch.start(
            cliPath(), {QStringLiteral("watch"), QStringLiteral("--pid"), QString::number(sleeper.processId())});
        if (!watch.waitForStarted(5000)) {
            sleeper.kill();
            sleeper.waitForFinished(5000);
            QSKIP("user nobody cannot run the CLI from this build directory (a parent folder is private)");
        }
        QVERIFY(watch.waitForFinished(20000));
        const QByteArray err = watch.readAllStandardError();
        QCOMPARE(watch.exitCode(), 2);
        QVERIFY(watch.readAllStandardOutput().isEmpty());
        QCOMPARE(err.count('\n'), 1);
        QVERIFY2(err.startsWith("pipescope-cli: error: cannot see the open files of process "), err.constData());
        QVERIFY2(err.contains("another user"), err.constData());
        sleeper.kill();
        QVERIFY(sleeper.waitForFinished(5000));
    }

    void badInputIsRefusedInOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        pid_t kthread = 0;
        for (const pid_t pid : ProcReader::allPids()) {
            if (const auto s = ProcReader::stat(pid); s && s->kernelThread()) {
                kthread = pid;
                break;
            }
        }
        const QString w = QStringLiteral("watch");
        const QString p = QStringLiteral("--pid");
        QTest::newRow("cannot run") << QStringList {w, QStringLiteral("--"),
            QStringLiteral("/nonexistent/pipescope-h7")}
                                    << 1 << "cannot run '/nonexistent/pipescope-h7': No such file or directory";
        QTest::newRow("pid 1") << QStringList {w, p, QStringLiteral("1")} << 2 << "PID 1";
        QTest::newRow("kernel thread") << QStringList {w, p, QString::number(kthread)} << 2 << "kernel thread";
        QTest::newRow("no such pid") << QStringList {w, p, QStringLiteral("999999999")} << 2 << "no process 999999999";
        QTest::newRow("not a pid") << QStringList {w, p, QStringLiteral("abc")} << 2 << "not a process id";
        QTest::newRow("nothing to watch") << QStringList {w} << 2 << "needs a command";
        QTest::newRow("both") << QStringList {w, p, QStringLiteral("5"), QStringLiteral("--"), QStringLiteral("true")}
                              << 2 << "not both";
        QTest::newRow("interval") << QStringList {w, QStringLiteral("--interval"), QStringLiteral("0"),
            QStringLiteral("--"), QStringLiteral("true")}
                                  << 2 << "--interval";
        QTest::newRow("format") << QStringList {w, QStringLiteral("--format"), QStringLiteral("xml"),
            QStringLiteral("--"), QStringLiteral("true")}
                                << 2 << "unknown format 'xml'";
    }

    void badInputIsRefusedInOneLine()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Result r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("pipescope-cli: error: "), r.err.constData());
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstCliWatch)
#include "tst_cliwatch.moc"
