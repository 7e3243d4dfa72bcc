// The tutorial's Python programs in examples/, each traced by pipescope-cli
// trace: the report must tell what the kernel did (bytes per pipe, one EAGAIN
// then data, exactly the second pipe ready, 1,000,000 bytes then EOF, every
// process reaped), and each program's own output must be what it prints alone.
#include "runharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <unistd.h>

using namespace pipescope::test;

namespace
{

struct PipeTotals {
    qint64 written = 0;
    qint64 read = 0;
    qint64 writes = 0;
    qint64 largestWrite = 0;
    bool eof = false;
};

struct Report {
    int code = -1;
    QByteArray out;
    QList<QJsonObject> events;
    QList<qint64> created; ///< inodes of the pipes the program made, in order
    QMap<qint64, PipeTotals> pipes;

    QList<QJsonObject> ofKind(const char *kind) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &e : events) {
            if (e.value(QStringLiteral("kind")).toString() == QLatin1String(kind))
                out << e;
        }
        return out;
    }
    /// Process ids that exited, and those reaped (by a parent's wait or by the tracer).
    bool everyProcessReaped() const
    {
        QSet<qint64> started;
        QSet<qint64> reaped;
        for (const QJsonObject &e : events) {
            const QString kind = e.value(QStringLiteral("kind")).toString();
            if (kind == QLatin1String("process-started"))
                started << e.value(QStringLiteral("pid")).toInteger();
            if (kind == QLatin1String("fork"))
                started << e.value(QStringLiteral("other_pid")).toInteger();
            if (kind == QLatin1String("reaped"))
                reaped << e.value(QStringLiteral("pid")).toInteger();
            if (kind == QLatin1String("wait"))
                reaped << e.value(QStringLiteral("other_pid")).toInteger();
        }
        return !started.isEmpty() && started == reaped;
    }
};

QString python()
{
    // Debian's python3 itself, not a version manager's shell-script shim (whose
    // own processes would be traced too); any python3 in PATH otherwise.
    const QString system = QStandardPaths::findExecutable(QStringLiteral("python3"), {QStringLiteral("/usr/bin")});
    return system.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("python3")) : system;
}

QStringList traceArguments(const QStringList &program)
{
    return QStringList {
               QStringLiteral("trace"), QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--")}
    + program;
}

Report traceExample(const QString &name)
{
    Report r;
    const bool c = name.endsWith(QLatin1String(".c"));
    // A C example is built by the tests' CMake; a Python one runs from the source tree.
    const QString script = c ? QStringLiteral(TRACE_PROGRAMS_DIR "/") + name.chopped(2)
                             : QFINDTESTDATA(QStringLiteral("../../examples/") + name);
    if (script.isEmpty() || (!c && python().isEmpty()))
        return r;
    QProcess p;
    p.setChildProcessModifier([] { setsid(); });
    p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
        traceArguments(c ? QStringList {script} : QStringList {python(), script}));
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    const QList<QByteArray> lines = p.readAllStandardError().split('\n');
    for (const QByteArray &line : lines) {
        if (!line.startsWith('{'))
            continue;
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        r.events << e;
        const QString kind = e.value(QStringLiteral("kind")).toString();
        const qint64 inode = e.value(QStringLiteral("inode")).toInteger();
        // Not the pipes it inherited from the test (its stdin, stdout and stderr): the ones it made.
        if (kind == QLatin1String("pipe") && !e.contains(QStringLiteral("errno"))
            && e.value(QStringLiteral("text")).toString() != QLatin1String("inherited"))
            r.created << inode;
        if (!r.created.contains(inode))
            continue;
        PipeTotals &t = r.pipes[inode];
        const qint64 result = e.value(QStringLiteral("result")).toInteger();
        if (kind == QLatin1String("write") && result > 0) {
            t.written += result;
            ++t.writes;
            t.largestWrite = qMax(t.largestWrite, e.value(QStringLiteral("requested")).toInteger());
        }
        if (kind == QLatin1String("read") && result > 0)
            t.read += result;
        if (e.value(QStringLiteral("eof")).toBool())
            t.eof = true;
    }
    return r;
}

} // namespace

class TestTraceExamples : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        const QByteArray test(QTest::currentTestFunction());
        if (python().isEmpty() && test != "printfBeforeForkComesOutTwice" && test != "pipelineWithOpenEndsNeverEnds")
            QSKIP("python3 is not installed (the README's Quick start installs it)");
    }

    void printfBeforeForkComesOutTwice()
    {
        // stdout is a pipe here (QProcess's): fully buffered, so fork copies the unwritten line.
        const Report r = traceExample(QStringLiteral("printf_before_fork.c"));
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("printed once, before fork\nprinted once, before fork\n"));
        QSet<qint64> writers;
        for (const QJsonObject &e : r.ofKind("write")) {
            if (e.value(QStringLiteral("fd")).toInt() == 1 && e.value(QStringLiteral("result")).toInteger() == 26)
                writers << e.value(QStringLiteral("pid")).toInteger();
        }
        QCOMPARE(writers.size(), 2); // the same 26 bytes, written by the parent and by the child
        QVERIFY(r.everyProcessReaped());
    }

    void pipelineWithOpenEndsNeverEnds()
    {
        QProcess p;
        p.setChildProcessModifier([] { setsid(); });
        p.setReadChannel(QProcess::StandardError);
        p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
            traceArguments({QStringLiteral(TRACE_PROGRAMS_DIR "/pipeline_open_ends")}));
        QVERIFY(p.waitForStarted(5000));
        // Wait until the writer has exited and the reader has its 10 bytes: from
        // then on only EOF could end the reader, and the parent holds a write end.
        QList<QJsonObject> events;
        qint64 writer = 0;
        bool writerGone = false;
        bool dataRead = false;
        qint64 reader = 0;
        bool readerAsleep = false;
        QDeadlineTimer deadline(30000);
        QByteArray pending;
        while (!(writerGone && dataRead && readerAsleep) && p.waitForReadyRead(int(deadline.remainingTime()))) {
            pending += p.readAll();
            qsizetype end;
            while ((end = pending.indexOf('\n')) >= 0) {
                const QByteArray line = pending.left(end);
                pending.remove(0, end + 1);
                if (!line.startsWith('{'))
                    continue;
                const QJsonObject e = QJsonDocument::fromJson(line).object();
                events << e;
                const QString kind = e.value(QStringLiteral("kind")).toString();
                if (kind == QLatin1String("write") && writer == 0)
                    writer = e.value(QStringLiteral("pid")).toInteger();
                writerGone = writerGone
                    || (kind == QLatin1String("exited") && e.value(QStringLiteral("pid")).toInteger() == writer);
                if (kind == QLatin1String("read") && e.value(QStringLiteral("result")).toInteger() == 10) {
                    dataRead = true;
                    reader = e.value(QStringLiteral("pid")).toInteger();
                }
                // Then the reader sleeps in its next read: the kernel's word, from /proc.
                readerAsleep = readerAsleep
                    || (kind == QLatin1String("blocked") && e.value(QStringLiteral("pid")).toInteger() == reader
                        && e.value(QStringLiteral("text")).toString().contains(QLatin1String("pipe_read")));
            }
        }
        QVERIFY(writerGone && dataRead && readerAsleep);
        QCOMPARE(p.state(), QProcess::Running); // the pipeline has not ended by itself
        // What the tree did by itself: the cancel's SIGTERMs end it in some order, and a
        // reader whose writers die first sees EOF then, which proves nothing.
        const qsizetype beforeCancel = events.size();
        p.terminate(); // Ctrl+C's SIGTERM: the tracer ends the tree
        QVERIFY(p.waitForFinished(10000));
        const QList<QByteArray> rest = (pending + p.readAllStandardError()).split('\n');
        for (const QByteArray &line : rest) {
            if (line.startsWith('{'))
                events << QJsonDocument::fromJson(line).object();
        }
        int eofs = 0;
        int parentCloses = 0;
        const qint64 parent = events.first().value(QStringLiteral("other_pid")).toInteger();
        for (const QJsonObject &e : events.mid(0, beforeCancel)) {
            eofs += e.value(QStringLiteral("eof")).toBool();
            parentCloses += e.value(QStringLiteral("kind")).toString() == QLatin1String("close")
                && e.value(QStringLiteral("pid")).toInteger() == parent;
        }
        QCOMPARE(eofs, 0); // the reader never saw EOF
        QCOMPARE(parentCloses, 0); // because the parent never closed its ends
        QCOMPARE(events.last().value(QStringLiteral("kind")).toString(), QStringLiteral("run-finished"));
        QCOMPARE(events.last().value(QStringLiteral("text")).toString(), QStringLiteral("cancelled"));
        QVERIFY(processGone(int(parent)));
    }

    void singleProcessPipe()
    {
        const Report r = traceExample(QStringLiteral("single_process_pipe.py"));
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("wrote 11 bytes, read back b'hello, pipe'\n"));
        QCOMPARE(r.created.size(), 1);
        QCOMPARE(r.pipes[r.created[0]].written, 11);
        QCOMPARE(r.pipes[r.created[0]].read, 11);
        QCOMPARE(r.ofKind("fork").size(), 0);
        QVERIFY(r.everyProcessReaped());
    }

    void parentToChild()
    {
        const Report r = traceExample(QStringLiteral("parent_to_child.py"));
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("child got b'message from the parent', then EOF"));
        QCOMPARE(r.created.size(), 1);
        const PipeTotals &t = r.pipes[r.created[0]];
        QCOMPARE(t.written, 23);
        QCOMPARE(t.read, 23);
        QVERIFY(t.eof);
        QCOMPARE(r.ofKind("fork").size(), 1);
        QVERIFY(r.everyProcessReaped());
    }

    void twoPipesBothWays()
    {
        const Report r = traceExample(QStringLiteral("two_pipes.py"));
        QCOMPARE(r.code, 0);
        QCOMPARE(r.created.size(), 2);
        QCOMPARE(r.pipes[r.created[0]].written, 8); // "question"
        QCOMPARE(r.pipes[r.created[0]].read, 8);
        QCOMPARE(r.pipes[r.created[1]].written, 18); // "answer to question"
        QCOMPARE(r.pipes[r.created[1]].read, 18);
        QVERIFY(r.everyProcessReaped());
    }

    void pipeThroughCat()
    {
        const Report r = traceExample(QStringLiteral("pipe_through_cat.py"));
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("cat gave back b'through cat and back', exit 0\n"));
        bool catExecd = false;
        for (const QJsonObject &e : r.ofKind("exec"))
            catExecd = catExecd || e.value(QStringLiteral("text")).toString().startsWith(QLatin1String("cat"));
        QVERIFY(catExecd);
        // To cat and back: 20 bytes through each of two pipes, each to EOF;
        // Popen's third pipe reports the exec's success by EOF alone.
        int carrying = 0;
        for (const qint64 inode : r.created) {
            const PipeTotals &t = r.pipes[inode];
            if (t.written == 0)
                continue;
            QCOMPARE(t.written, 20);
            QCOMPARE(t.read, 20);
            QVERIFY(t.eof);
            ++carrying;
        }
        QCOMPARE(carrying, 2);
        QVERIFY(r.everyProcessReaped());
    }

    void nonblockingReadGetsEagainThenData()
    {
        const Report r = traceExample(QStringLiteral("nonblocking_read.py"));
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("BlockingIOError"));
        QList<QJsonObject> reads;
        for (const QJsonObject &e : r.ofKind("read")) {
            if (r.created.contains(e.value(QStringLiteral("inode")).toInteger()))
                reads << e;
        }
        QCOMPARE(reads.size(), 2);
        QCOMPARE(reads[0].value(QStringLiteral("errno_name")).toString(), QStringLiteral("EAGAIN"));
        QCOMPARE(reads[1].value(QStringLiteral("result")).toInteger(), 17);
    }

    void selectFindsOnlyTheSecondPipe()
    {
        const Report r = traceExample(QStringLiteral("select_two_pipes.py"));
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("ready: ['second']"));
        QList<QJsonObject> pipes; // the two it made, not those it inherited from the test
        for (const QJsonObject &e : r.ofKind("pipe")) {
            if (r.created.contains(e.value(QStringLiteral("inode")).toInteger()))
                pipes << e;
        }
        QCOMPARE(pipes.size(), 2);
        const int firstRead = pipes[0].value(QStringLiteral("fd")).toInt();
        const int secondRead = pipes[1].value(QStringLiteral("fd")).toInt();
        const QList<QJsonObject> selects = r.ofKind("select");
        QCOMPARE(selects.size(), 1);
        QCOMPARE(selects[0].value(QStringLiteral("watched")).toArray(), (QJsonArray {firstRead, secondRead}));
        QCOMPARE(selects[0].value(QStringLiteral("ready")).toArray(), QJsonArray {secondRead});
        QCOMPARE(selects[0].value(QStringLiteral("result")).toInteger(), 1);
    }

    void largeTransferToEof()
    {
        const Report r = traceExample(QStringLiteral("large_transfer.py"));
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("child read 1000000 bytes, then EOF"));
        QCOMPARE(r.created.size(), 1);
        const PipeTotals &t = r.pipes[r.created[0]];
        QCOMPARE(t.written, 1000000);
        QCOMPARE(t.read, 1000000);
        QVERIFY(t.eof);
        QCOMPARE(t.largestWrite, 4096);
        QCOMPARE(t.writes, (1000000 + 4095) / 4096); // a blocking write of <= PIPE_BUF bytes is never partial
        QVERIFY(r.everyProcessReaped());
    }
};

QTEST_GUILESS_MAIN(TestTraceExamples)
#include "tst_traceexamples.moc"
