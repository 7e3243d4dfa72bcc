// pipescope-cli trace as a user meets it: the program runs with the CLI's own
// stdin and stdout (untouched), the report goes to stderr or --output, the
// program's exit status comes back, bad input gets one line, and Ctrl+C
// (SIGTERM here) kills a tree that ignores it and leaves nothing behind.
#include "runharness.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

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
