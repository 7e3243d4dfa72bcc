// pipescope-cli trace as a user meets it: the program runs with the CLI's own
// stdin and stdout (untouched), the report goes to stderr or --output, the
// program's exit status comes back, bad input gets one line, and Ctrl+C
// (SIGTERM here) kills a tree that ignores it and leaves nothing behind.
#include "cliprocess.h"
#include "runharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <functional>

using namespace pipescope::test;

class TestCliTrace : public QObject
{
    Q_OBJECT

private:
    using Result = CliResult;

    static Result trace(const QStringList &args, const QByteArray &input = {})
    {
        return runCli(QStringList {QStringLiteral("trace")} + args, input);
    }

    /// The summary row of the pipe the program made: written, read, eof.
    static QStringList pipeRow(const QByteArray &report, const QString &inode)
    {
        const QRegularExpression row(QStringLiteral("pipe:\\[%1 *\\] +(\\d+) +(\\d+) +\\d+ +\\d+ (yes|no)").arg(inode));
        const auto match = row.match(QString::fromUtf8(report));
        return match.hasMatch() ? match.capturedTexts().mid(1) : QStringList {};
    }

    static QString createdInode(const QByteArray &report)
    {
        const auto match = QRegularExpression(QStringLiteral("pipe2\\(\\[\\d+, \\d+\\], 0\\) = 0  pipe:\\[(\\d+)\\]"))
                               .match(QString::fromUtf8(report));
        return match.captured(1);
    }

    /// pipescope-cli trace --control-fd 40 --format jsonl ARGS, read as it goes:
    /// the control pipe's read end is fd 40 in the CLI, its write end ours only.
    struct Controlled {
        static constexpr int kFd = 40;
        QProcess p;
        int control = -1;
        QByteArray pending;
        QList<QJsonObject> events;
        QByteArray err; ///< lines that are not events (warnings)

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
            p.setChildProcessModifier([] { fcntl(kFd, F_SETFD, 0); }); // the CLI inherits it, nobody else
            p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
                QStringList {QStringLiteral("trace"), QStringLiteral("--control-fd"), QString::number(kFd),
                    QStringLiteral("--format"), QStringLiteral("jsonl")}
                    + args);
            close(readEnd);
            p.setReadChannel(QProcess::StandardError); // waitForReadyRead waits for the report
            return p.waitForStarted(5000);
        }
        void send(const QByteArray &lines) const { QCOMPARE(write(control, lines.data(), lines.size()), lines.size()); }
        void closeControl()
        {
            close(control);
            control = -1;
        }
        ~Controlled()
        {
            if (control >= 0)
                close(control);
            if (p.state() != QProcess::NotRunning) {
                p.kill();
                p.waitForFinished();
            }
        }
        /// Index of the first event from `from` on with this kind, waiting for it; -1 on timeout.
        qsizetype waitFor(const QString &kind, qsizetype from)
        {
            QDeadlineTimer deadline(10000);
            for (;;) {
                for (qsizetype i = from; i < events.size(); ++i) {
                    if (events[i].value(QStringLiteral("kind")).toString() == kind)
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
                    else
                        err += line + '\n';
                }
            }
        }
        int gates() const
        {
            int n = 0;
            for (const QJsonObject &e : events)
                n += e.value(QStringLiteral("kind")).toString() == QLatin1String("gate");
            return n;
        }
    };

    /// The script the control tests trace: a pipe through cat into a file,
    /// and a line on stdout should the control fd have reached the program.
    static QStringList controlledScript(const QString &file)
    {
        return {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("read x; echo hi | cat > '%1'; [ -e /proc/$$/fd/%2 ] && echo LEAKED; exit 0")
                .arg(file)
                .arg(Controlled::kFd)};
    }

    static QByteArray procField(int pid, const char *name)
    {
        QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void controlPauseStepRun()
    {
        const QStringList before = openFds();
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("out"));
        {
            Controlled c;
            QVERIFY(c.start(controlledScript(file))); // free at first
            // Steps while nothing is held are not remembered: the pause holds the next call.
            c.send("step\nstep\npause\n");
            // The script waits for its stdin, so the pause is read before its next call.
            c.p.write("go\n");
            const qsizetype first = c.waitFor(QStringLiteral("gate"), 0);
            QVERIFY(first >= 0);
            const int pid = c.events[first].value(QStringLiteral("pid")).toInt();
            // The shell's read of its stdin (a byte at a time) or its pipe: really held,
            // stopped by its tracer at the call's entry, nothing written yet.
            const QString pending = c.events[first].value(QStringLiteral("pending")).toString();
            QVERIFY2(pending == QLatin1String("read") || pending == QLatin1String("pipe"), qPrintable(pending));
            const QByteArray stat = procField(pid, "stat");
            QCOMPARE(stat.mid(stat.lastIndexOf(')') + 2, 1), QByteArray("t"));
            const int nr = procField(pid, "syscall").split(' ').value(0).toInt();
            QVERIFY2(nr == SYS_read || nr == SYS_pipe || nr == SYS_pipe2, procField(pid, "syscall").constData());
            QVERIFY(!QFile::exists(file));
            // One step: exactly the held call, then the next one is held.
            c.send("step\n");
            const qsizetype second = c.waitFor(QStringLiteral("gate"), first + 1);
            QVERIFY(second >= 0);
            QCOMPARE(second, first + 2);
            QCOMPARE(c.events[first + 1].value(QStringLiteral("kind")).toString(), pending);
            QCOMPARE(c.events[first + 1].value(QStringLiteral("pid")).toInt(), pid);
            QVERIFY(!QFile::exists(file));
            // Full speed: nothing held any more, the program finishes.
            c.send("run\n");
            QVERIFY(c.waitFor(QStringLiteral("run-finished"), second + 1) >= 0);
            QVERIFY(c.p.waitForFinished(10000));
            QCOMPARE(c.p.exitCode(), 0);
            QCOMPARE(c.gates(), 2);
            QCOMPARE(c.p.readAllStandardOutput(), QByteArray()); // no LEAKED: fd 40 stayed the CLI's
            QVERIFY(c.err.isEmpty());
            for (const QJsonObject &e : std::as_const(c.events)) // the tree and the CLI: all gone
                QVERIFY(processGone(e.value(QStringLiteral("pid")).toInt()));
        }
        QVERIFY(noChildrenLeft());
        QCOMPARE(openFds(), before);
        QFile out(file);
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll(), QByteArray("hi\n"));
    }

    void controlEndOfFileRunsToTheEnd()
    {
        const QStringList before = openFds();
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("out"));
        {
            Controlled c;
            QVERIFY(c.start(QStringList {QStringLiteral("--step")} + controlledScript(file))); // paused from the start
            c.p.write("go\n");
            QVERIFY(c.waitFor(QStringLiteral("gate"), 0) >= 0);
            QVERIFY(!QFile::exists(file));
            c.closeControl(); // the GUI died: full speed to the end
            QVERIFY(c.waitFor(QStringLiteral("run-finished"), 0) >= 0);
            QVERIFY(c.p.waitForFinished(10000));
            QCOMPARE(c.p.exitCode(), 0);
            QCOMPARE(c.gates(), 1);
            QCOMPARE(c.p.readAllStandardOutput(), QByteArray());
        }
        QVERIFY(noChildrenLeft());
        QCOMPARE(openFds(), before);
        QFile out(file);
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll(), QByteArray("hi\n"));
    }

    void controlPaceAndUnknownLine()
    {
        constexpr int kPaceMs = 20;
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("out"));
        Controlled c;
        QVERIFY(c.start(QStringList {QStringLiteral("--step")} + controlledScript(file)));
        c.p.write("go\n");
        const qsizetype first = c.waitFor(QStringLiteral("gate"), 0);
        QVERIFY(first >= 0);
        c.send("jump\npace " + QByteArray::number(kPaceMs) + "\n"); // the pace releases the held one
        QVERIFY(c.waitFor(QStringLiteral("run-finished"), 0) >= 0);
        QVERIFY(c.p.waitForFinished(10000));
        QCOMPARE(c.p.exitCode(), 0);
        QCOMPARE(
            c.err, QByteArray("pipescope-cli: warning: --control-fd: ignored 'jump' (step, pause, run or pace MS)\n"));
        int paced = 0;
        for (qsizetype i = first + 1; i < c.events.size(); ++i) {
            if (c.events[i].value(QStringLiteral("kind")).toString() != QLatin1String("gate"))
                continue;
            const int pid = c.events[i].value(QStringLiteral("pid")).toInt();
            for (qsizetype next = i + 1; next < c.events.size(); ++next) {
                if (c.events[next].value(QStringLiteral("pid")).toInt() != pid)
                    continue;
                QVERIFY(c.events[next].value(QStringLiteral("t_ns")).toInteger()
                        - c.events[i].value(QStringLiteral("t_ns")).toInteger()
                    >= qint64(kPaceMs) * 1000000);
                ++paced;
                break;
            }
        }
        QVERIFY(paced >= 5); // pipe, forks, dup2s, write, reads, waits
    }

    void programOutputUntouchedReportOnStderr()
    {
        const Result r = trace(
            {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("printf hello | cat")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("hello")); // the program's own output, byte for byte
        const QString inode = createdInode(r.err);
        QVERIFY2(!inode.isEmpty(), r.err.constData());
        QCOMPARE(
            pipeRow(r.err, inode), (QStringList {QStringLiteral("5"), QStringLiteral("5"), QStringLiteral("yes")}));
        QVERIFY(r.err.contains("execvp(\"cat\")"));
        QVERIFY(!r.err.contains("not counted")); // exec'd programs are traced, not lower bounds
        QVERIFY(noChildrenLeft());
    }

    /// A FIFO opened by its name is a pipe like any other: mkfifo (mknodat), both opens
    /// (openat) with the FIFO's inode, and the bytes through it, as the fifo scenario shows them.
    void aFifoOpenedByNameIsTraced()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const Result r = trace({QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("cd \"$0\" && mkfifo F && { cat F & echo hi > F; wait; }"), dir.path()});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("hi\n")); // cat's output, untouched
        const QString report = QString::fromUtf8(r.err);
        const auto made
            = QRegularExpression(QStringLiteral("mkfifo\\(\"F\", 0\\d+\\) = 0  a named pipe, fifo inode (\\d+)"))
                  .match(report);
        QVERIFY2(made.hasMatch(), r.err.constData());
        const QString inode = made.captured(1);
        // Two opens of it, one per side, each with the FIFO's inode.
        for (const char *flags : {"O_RDONLY", "O_WRONLY"}) {
            const QRegularExpression open(
                QStringLiteral("open\\(\"F\", %1\\) = \\d+  fifo:\\[%2\\] by name").arg(QLatin1String(flags), inode));
            QCOMPARE(report.count(open), 1);
        }
        // Its summary row: "hi\n" written and read, and the reader saw EOF.
        const QRegularExpression row(QStringLiteral("fifo:\\[%1 *\\] +3 +3 +\\d+ +\\d+ yes").arg(inode));
        QVERIFY2(row.match(report).hasMatch(), r.err.constData());
        QVERIFY(report.contains(QStringLiteral("(fifo:[%1] is the named pipe F)").arg(inode)));
        QVERIFY(noChildrenLeft());
    }

    /// Count-only stops a FIFO's open too: its writer's bytes are derived onto the FIFO (echo
    /// wrote at its stdout), and cat, which reads it at fd 3, leaves the read side unknown.
    void aFifoInCountOnlyIsDerived()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const Result r
            = trace({QStringLiteral("--count-only"), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("cd \"$0\" && mkfifo F && { cat F & echo hi > F; wait; }"), dir.path()});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("hi\n"));
        const QString report = QString::fromUtf8(r.err);
        const auto opened
            = QRegularExpression(QStringLiteral("open\\(\"F\", O_WRONLY\\) = \\d+  fifo:\\[(\\d+)\\] by name"))
                  .match(report);
        QVERIFY2(opened.hasMatch(), r.err.constData());
        const QRegularExpression row(QStringLiteral("fifo:\\[%1 *\\] +3 +3 +\\? +writers").arg(opened.captured(1)));
        QVERIFY2(row.match(report).hasMatch(), r.err.constData());

        // The derived note in the event stream names it the same way.
        const Result json = trace({QStringLiteral("--count-only"), QStringLiteral("--format"), QStringLiteral("jsonl"),
            QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("cd \"$0\" && rm -f F && mkfifo F && { cat F & echo hi > F; wait; }"), dir.path()});
        QCOMPARE(json.code, 0);
        qint64 fifo = 0;
        QString derived;
        for (const QJsonObject &e : objects(json.err)) {
            const QString kind = e.value(QStringLiteral("kind")).toString();
            if (kind == QLatin1String("open") && e.value(QStringLiteral("inode")).toInteger() != 0)
                fifo = e.value(QStringLiteral("inode")).toInteger();
            const QString text = e.value(QStringLiteral("text")).toString();
            if (kind == QLatin1String("note") && text.contains(QLatin1String("derived from /proc")))
                derived += text + QLatin1Char('\n');
        }
        QVERIFY2(fifo != 0, json.err.constData());
        QVERIFY2(derived.contains(QStringLiteral("fifo:[%1] 3 bytes").arg(fifo)), qPrintable(derived));
        QVERIFY2(!derived.contains(QStringLiteral("pipe:[%1]").arg(fifo)), qPrintable(derived));
    }

    void stdinIsTheCli()
    {
        const Result r = trace({QStringLiteral("--"), QStringLiteral("cat")}, "from stdin");
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("from stdin"));
    }

    void theTracerIsOneThread()
    {
        // ptrace belongs to the thread that attached: the CLI, the program's
        // parent and tracer, must be a single thread.
        const Result r = trace({QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("ls /proc/$PPID/task | wc -l")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed(), QByteArray("1"));
    }

    void exitStatusPassedThrough_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("code");
        QTest::newRow("exit 0") << "exit 0" << 0;
        QTest::newRow("exit 5") << "exit 5" << 5;
        QTest::newRow("killed by SIGTERM") << "kill -TERM $$" << 128 + SIGTERM;
    }

    void exitStatusPassedThrough()
    {
        QFETCH(QString, script);
        QFETCH(int, code);
        const Result r = trace({QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script});
        QCOMPARE(r.code, code);
        QVERIFY(r.err.contains("run finished"));
    }

    void badInputOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("line");
        QTest::newRow("no such program")
            << QStringList {QStringLiteral("--"), QStringLiteral("no-such-program-pipescope")} << 1
            << "pipescope-cli: error: cannot run 'no-such-program-pipescope': No such file or directory";
        QTest::newRow("no program") << QStringList {QStringLiteral("--")} << 2
                                    << "pipescope-cli: error: trace needs a program: pipescope-cli trace -- PROGRAM "
                                       "[ARGS...]";
        QTest::newRow("control fd of the program")
            << QStringList {QStringLiteral("--control-fd=1"), QStringLiteral("true")} << 2
            << "pipescope-cli: error: --control-fd: '1' is not a file "
               "descriptor number of 3 or more";
        QTest::newRow("control fd not open")
            << QStringList {QStringLiteral("--control-fd=57"), QStringLiteral("true")} << 2
            << "pipescope-cli: error: --control-fd: 57 is not an open file "
               "descriptor";
        QTest::newRow("bad format") << QStringList {QStringLiteral("--format=xml"), QStringLiteral("true")} << 2
                                    << "pipescope-cli: error: unknown format 'xml' (text, jsonl or chrome)";
    }

    void badInputOneLine()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, line);
        const Result r = trace(args);
        QCOMPARE(r.code, code);
        QCOMPARE(QString::fromUtf8(r.err), line + QLatin1Char('\n'));
        QVERIFY(r.out.isEmpty());
        QVERIFY(noChildrenLeft());
    }

    void jsonLinesAndOutputFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("report.jsonl"));
        const Result r = trace({QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--output"), file,
            QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("printf hello | cat >/dev/null")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.err.isEmpty());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QSet<QString> kinds;
        qint64 written = 0;
        qint64 read = 0;
        qint64 lastSeq = -1;
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            QJsonParseError error {};
            const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
            QVERIFY(o.value(QStringLiteral("seq")).toInteger() > lastSeq);
            lastSeq = o.value(QStringLiteral("seq")).toInteger();
            const QString kind = o.value(QStringLiteral("kind")).toString();
            kinds.insert(kind);
            if (kind == QLatin1String("write"))
                written += o.value(QStringLiteral("result")).toInteger();
            if (kind == QLatin1String("read"))
                read += o.value(QStringLiteral("result")).toInteger();
        }
        for (const char *kind : {"run-started", "pipe", "fork", "exec", "dup2", "close", "write", "read", "wait",
                 "exited", "reaped", "run-finished"})
            QVERIFY2(kinds.contains(QString::fromLatin1(kind)), kind);
        QCOMPARE(written, 5);
        QCOMPARE(read, 5);
    }

    /// jsonl lines of a report as objects.
    static QList<QJsonObject> objects(const QByteArray &report)
    {
        QList<QJsonObject> out;
        const QList<QByteArray> lines = report.split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith('{'))
                out << QJsonDocument::fromJson(line).object();
        }
        return out;
    }

    void stepHoldsEachCallUntilEnter()
    {
        // Five Enters, then end of input: five calls are held one by one, then the run goes on free.
        const Result r = trace(
            {QStringLiteral("--step"), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--"),
                QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("printf hello | cat")},
            "\n\n\n\n\n");
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("hello"));
        const QList<QJsonObject> events = objects(r.err);
        int gates = 0;
        for (qsizetype i = 0; i < events.size(); ++i) {
            if (events[i].value(QStringLiteral("kind")).toString() != QLatin1String("gate"))
                continue;
            ++gates;
            // The held process's next event is the call it was held before.
            const int pid = events[i].value(QStringLiteral("pid")).toInt();
            qsizetype next = i + 1;
            while (next < events.size() && events[next].value(QStringLiteral("pid")).toInt() != pid)
                ++next;
            QVERIFY(next < events.size());
            QVERIFY2(events[i]
                         .value(QStringLiteral("line"))
                         .toString()
                         .contains(events[next].value(QStringLiteral("kind")).toString()),
                qPrintable(events[i].value(QStringLiteral("line")).toString()));
        }
        // Five prompts answered plus the one that met the end of input. A
        // process that stopped at a call while another was held shows its
        // gate at once; if the input ends before its turn it goes on free
        // without a prompt, so there may be more gates than prompts.
        QCOMPARE(r.err.count("-- step: "), 6);
        // At most one such gate per process of the pipeline (sh, its child for printf, cat).
        QVERIFY2(gates >= 6 && gates <= 6 + 3, qPrintable(QString::number(gates)));
    }

    void paceHoldsEachCall()
    {
        constexpr int kPaceMs = 30;
        const Result r = trace({QStringLiteral("--pace"), QString::number(kPaceMs), QStringLiteral("--format"),
            QStringLiteral("jsonl"), QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("printf hello | cat")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("hello"));
        const QList<QJsonObject> events = objects(r.err);
        int held = 0;
        for (qsizetype i = 0; i < events.size(); ++i) {
            if (events[i].value(QStringLiteral("kind")).toString() != QLatin1String("gate"))
                continue;
            const int pid = events[i].value(QStringLiteral("pid")).toInt();
            for (qsizetype next = i + 1; next < events.size(); ++next) {
                if (events[next].value(QStringLiteral("pid")).toInt() != pid)
                    continue;
                // The call ran no earlier than the pace after the process was held.
                QVERIFY(events[next].value(QStringLiteral("t_ns")).toInteger()
                        - events[i].value(QStringLiteral("t_ns")).toInteger()
                    >= qint64(kPaceMs) * 1000000);
                ++held;
                break;
            }
        }
        QVERIFY(held >= 10); // pipe, forks, closes, dup2s, write, reads, waits
    }

    void chromeTraceIsOneDocument()
    {
        const Result r = trace({QStringLiteral("--format=chrome"), QStringLiteral("--"), QStringLiteral("sh"),
            QStringLiteral("-c"), QStringLiteral("printf hello | cat >/dev/null")});
        QCOMPARE(r.code, 0);
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(r.err, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, r.err.left(200).constData());
        QSet<QString> names;
        const QJsonArray events = doc.object().value(QStringLiteral("traceEvents")).toArray();
        for (const QJsonValue &v : events)
            names << v.toObject().value(QStringLiteral("name")).toString();
        for (const char *name : {"pipe", "fork", "exec", "write", "read", "exited", "reaped"})
            QVERIFY2(names.contains(QString::fromLatin1(name)), name);
    }

    void sigtermKillsATreeThatIgnoresIt()
    {
        // The program ignores SIGTERM (inherited across exec): only the
        // SIGKILL after the grace period ends it.
        QProcess p;
        p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
            {QStringLiteral("trace"), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--"),
                QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("trap '' TERM; echo ready; exec sleep 1000")});
        QVERIFY(p.waitForStarted(5000));
        QVERIFY(p.waitForReadyRead(10000));
        QCOMPARE(p.readAllStandardOutput(), QByteArray("ready\n"));
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 128 + SIGKILL);
        const QByteArray err = p.readAllStandardError();
        QVERIFY(err.contains("trace cancelled"));
        QVERIFY(err.contains("\"kind\":\"reaped\""));
        // The program's pid: every process of the tree is gone.
        const auto match = QRegularExpression(QStringLiteral("\"kind\":\"process-started\",\"pid\":(\\d+)"))
                               .match(QString::fromUtf8(err));
        QVERIFY(match.hasMatch());
        QVERIFY(processGone(match.captured(1).toInt()));
    }
};

QTEST_GUILESS_MAIN(TestCliTrace)
#include "tst_clitrace.moc"
