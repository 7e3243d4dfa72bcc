// pipescope-cli trace --count-only: no read or write of the program is
// stopped (the seccomp filter lets them through), so the report has the pipe,
// the forks, execs and closes and the exit statuses, but no read or write
// event; the bytes through the pipe are derived from /proc/PID/io and say so.
// Bad combinations are refused with one line and exit 2.
#include "cliprocess.h"
#include "runharness.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <unistd.h>

using namespace pipescope::test;

class TestCliCountOnly : public QObject
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

    static QStringList pipeline()
    {
        return {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("head -c 1000000 /dev/zero | cat > /dev/null")};
    }

private slots:
    void pipelineWithoutDataStops()
    {
        const QStringList before = openFds();
        const Result r
            = trace(QStringList {QStringLiteral("--count-only"), QStringLiteral("--format"), QStringLiteral("jsonl")}
                + pipeline());
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray()); // the program's stdout: cat wrote to /dev/null
        const QList<QJsonObject> all = events(r.err);
        QVERIFY(!all.isEmpty());

        // The one pipe the shell made.
        QList<QJsonObject> pipes;
        for (const QJsonObject &e : all) {
            if (kind(e) == QLatin1String("pipe")
                && e.value(QStringLiteral("text")).toString() != QLatin1String("inherited"))
                pipes << e;
        }
        QCOMPARE(pipes.size(), 1);
        const qint64 inode = pipes.first().value(QStringLiteral("inode")).toInteger();
        const int shell = pipes.first().value(QStringLiteral("pid")).toInt();
        QVERIFY(inode > 0);

        // Both stages forked by the shell and exec'd; each exited 0; no read or write at all.
        QSet<int> forked;
        QMap<QString, int> execd; // program -> pid
        QMap<int, QString> exited;
        QSet<int> closedIt; // processes that closed an end of the pipe
        for (const QJsonObject &e : all) {
            const QString k = kind(e);
            const int pid = e.value(QStringLiteral("pid")).toInt();
            QVERIFY2(k != QLatin1String("read") && k != QLatin1String("write") && k != QLatin1String("select"),
                qPrintable(QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact))));
            if (k == QLatin1String("fork") && pid == shell)
                forked << e.value(QStringLiteral("other_pid")).toInt();
            if (k == QLatin1String("exec"))
                execd[e.value(QStringLiteral("text")).toString().section(QLatin1Char(' '), 0, 0)] = pid;
            if (k == QLatin1String("exited"))
                exited[pid] = e.value(QStringLiteral("status")).toString();
            if (k == QLatin1String("close") && e.value(QStringLiteral("inode")).toInteger() == inode)
                closedIt << pid;
        }
        QCOMPARE(forked.size(), 2);
        QVERIFY(execd.contains(QStringLiteral("head")));
        QVERIFY(execd.contains(QStringLiteral("cat")));
        QVERIFY(forked.contains(execd.value(QStringLiteral("head"))));
        QVERIFY(forked.contains(execd.value(QStringLiteral("cat"))));
        for (const int pid : {shell, execd.value(QStringLiteral("head")), execd.value(QStringLiteral("cat"))}) {
            QCOMPARE(exited.value(pid), QStringLiteral("exit 0"));
            QVERIFY2(closedIt.contains(pid), qPrintable(QString::number(pid))); // each closed an end itself
            QVERIFY(processGone(pid));
        }

        // The bytes: derived from /proc/PID/io, labelled, exactly 1,000,000 (head wrote them all to its stdout).
        QList<QJsonObject> notes;
        for (const QJsonObject &e : all) {
            if (kind(e) == QLatin1String("note") && e.value(QStringLiteral("inode")).toInteger() == inode)
                notes << e;
        }
        QCOMPARE(notes.size(), 1);
        QCOMPARE(notes.first().value(QStringLiteral("result")).toInteger(), 1000000);
        QCOMPARE(notes.first().value(QStringLiteral("requested")).toInteger(), 1000000); // written by head
        QVERIFY(notes.first()
                    .value(QStringLiteral("text"))
                    .toString()
                    .contains(QLatin1String("derived from /proc/PID/io")));
        QVERIFY(notes.first().value(QStringLiteral("text")).toString().contains(QLatin1String("not counted per call")));
        QCOMPARE(kind(all.last()), QStringLiteral("run-finished"));

        QVERIFY(noChildrenLeft());
        QCOMPARE(openFds(), before);
    }

    void textSummarySaysDerived()
    {
        const Result r = trace(QStringList {QStringLiteral("--count-only")} + pipeline());
        QCOMPARE(r.code, 0);
        const QString report = QString::fromUtf8(r.err);
        const auto created
            = QRegularExpression(QStringLiteral("pipe2\\(\\[\\d+, \\d+\\], 0\\) = 0  pipe:\\[(\\d+)\\]")).match(report);
        QVERIFY(created.hasMatch());
        const QString inode = created.captured(1);
        QVERIFY(report.contains(QLatin1String("count-only: no read or write was stopped; bytes derived from "
                                              "/proc/PID/io")));
        // pipe, bytes, written (head's wchar), read (cat's rchar: its libraries' headers too), basis.
        const QRegularExpression row(
            QStringLiteral("pipe:\\[%1 *\\] +1000000 +1000000 +(\\d+) +writers and readers").arg(inode));
        const auto match = row.match(report);
        QVERIFY2(match.hasMatch(), qPrintable(report));
        QVERIFY(match.captured(1).toLongLong() >= 1000000);
        QVERIFY(report.contains(QLatin1String("derived, not counted per call")));
        QVERIFY(!report.contains(QLatin1String("read(")));
        QVERIFY(!report.contains(QLatin1String("write(")));
        QVERIFY(noChildrenLeft());
    }

    void badCombinations_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("names");
        QTest::newRow("step") << QStringList {QStringLiteral("--step")} << QStringLiteral("--step");
        QTest::newRow("pace") << QStringList {QStringLiteral("--pace"), QStringLiteral("5")}
                              << QStringLiteral("--pace");
        QTest::newRow("control-fd") << QStringList {QStringLiteral("--control-fd"), QStringLiteral("40")}
                                    << QStringLiteral("--control-fd");
        QTest::newRow("attach") << QStringList {QStringLiteral("--attach"), QString::number(getpid())}
                                << QStringLiteral("--attach");
    }

    void badCombinations()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, names);
        QTemporaryDir dir;
        const QString marker = dir.filePath(QStringLiteral("ran"));
        QStringList program;
        if (!names.startsWith(QLatin1String("--attach")))
            program = {QStringLiteral("--"), QStringLiteral("touch"), marker};
        const Result r = trace(QStringList {QStringLiteral("--count-only")} + args + program);
        QCOMPARE(r.code, 2);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("--count-only") && r.err.contains(names.toUtf8()), r.err.constData());
        QVERIFY(!QFile::exists(marker)); // nothing ran
        QVERIFY(noChildrenLeft());
    }

    void helpSaysNoDataEvents()
    {
        const Result r = trace({QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("--count-only"));
        QVERIFY(r.out.contains("NO read, write, select or poll event"));
        QVERIFY(r.out.contains("/proc/PID/io"));
    }
};

QTEST_GUILESS_MAIN(TestCliCountOnly)
#include "tst_clicountonly.moc"
