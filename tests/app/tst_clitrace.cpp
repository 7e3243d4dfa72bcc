// pipescope-cli trace as a user meets it: the program runs with the CLI's own
// stdin and stdout (untouched), the report goes to stderr or --output, the
// program's exit status comes back, bad input gets one line, and Ctrl+C
// (SIGTERM here) kills a tree that ignores it and leaves nothing behind.
#include "runharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <csignal>

using namespace pipescope::test;

class TestCliTrace : public QObject
{
    Q_OBJECT

private:
    struct Result {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    static Result trace(const QStringList &args, const QByteArray &input = {})
    {
        QProcess p;
        // No controlling terminal: --step then reads Enter from stdin, not /dev/tty.
        p.setChildProcessModifier([] { setsid(); });
        p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")), QStringList {QStringLiteral("trace")} + args);
        if (!p.waitForStarted(5000))
            return {};
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
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

private slots:
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
        // Five prompts answered plus the one that met the end of input.
        QCOMPARE(gates, 6);
        QCOMPARE(r.err.count("-- step: "), 6);
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
