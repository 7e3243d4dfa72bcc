// pipescope-cli run ... --record FILE, run as users run it: the file is the
// header then exactly the jsonl lines the run printed, with counter samples
// between them; a 1 GiB full-speed run stays far under a megabyte; a file that
// cannot be written stops the command before anything runs.
#include "cliprocess.h"
#include "core/record/recordingheader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace pipescope;
using namespace pipescope::test;

class TstCliRecord : public QObject
{
    Q_OBJECT

private:
    using Result = CliResult;

    static Result cli(const QStringList &args) { return runCli(args, {}, 60000, false); }

    static QList<QByteArray> lines(QByteArray all)
    {
        if (all.endsWith('\n'))
            all.chop(1);
        return all.split('\n');
    }

    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void recordsWhatJsonlPrints()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("pc.pipescope"));
        const Result r = cli({QStringLiteral("run"), QStringLiteral("parent-child"), QStringLiteral("--format"),
            QStringLiteral("jsonl"), QStringLiteral("--record"), file});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> recorded = lines(readFile(file));
        QVERIFY(recorded.size() > 3);
        const QJsonObject header = QJsonDocument::fromJson(recorded.first()).object();
        QCOMPARE(header.value(QLatin1String(RecordingHeader::kMagicKey)).toInt(), RecordingHeader::kVersion);
        QCOMPARE(header.value(QLatin1String("source")).toObject().value(QLatin1String("name")).toString(),
            QStringLiteral("parent-child"));
        // Every line but the header and the samples is a line the run printed, in the same order.
        QList<QByteArray> events;
        int samples = 0;
        bool pipeInTable = false;
        for (const QByteArray &line : recorded.mid(1)) {
            if (line.startsWith("{\"sample_t_ns\":"))
                ++samples;
            else if (line.startsWith("{\"fds_t_ns\":"))
                pipeInTable |= line.contains("\"target\":\"pipe:[");
            else
                events << line;
        }
        QCOMPARE(events, lines(r.out));
        QVERIFY(samples >= 1); // the final counters, at least
        // The fd tables /proc gave while it ran: the pipe's ends are in them.
        QVERIFY(pipeInTable);
    }

    void gibibyteAtFullSpeedStaysSmall()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("lt.pipescope"));
        const Result r = cli({QStringLiteral("run"), QStringLiteral("large-transfer"), QStringLiteral("--set"),
            QStringLiteral("total=1G"), QStringLiteral("--record"), file});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("1073741824")); // the text summary still goes to stdout
        const QByteArray all = readFile(file);
        QVERIFY2(all.size() < 1000 * 1000, QByteArray::number(all.size()).constData());
        // The last sample holds the kernel's whole transfer: every byte written was read.
        const QList<QByteArray> recorded = lines(all);
        QVERIFY(recorded.last().startsWith("{\"sample_t_ns\":"));
        const QJsonObject pipe = QJsonDocument::fromJson(recorded.last())
                                     .object()
                                     .value(QLatin1String("pipes"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
        QCOMPARE(pipe.value(QLatin1String("written")).toInteger(), qint64 {1} << 30);
        QCOMPARE(pipe.value(QLatin1String("read")).toInteger(), qint64 {1} << 30);
        QVERIFY(pipe.value(QLatin1String("eof")).toBool());
    }

    /// trace --record: the same file for a program of one's own; its report (jsonl on stderr) and
    /// the recording hold the same events, and the program's own output is untouched.
    void recordsATrace()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("trace.pipescope"));
        const Result r = cli({QStringLiteral("trace"), QStringLiteral("--format"), QStringLiteral("jsonl"),
            QStringLiteral("--record"), file, QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("echo hi | cat")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("hi\n"));
        const QList<QByteArray> recorded = lines(readFile(file));
        QVERIFY(recorded.size() > 3);
        const QJsonObject source
            = QJsonDocument::fromJson(recorded.first()).object().value(QLatin1String("source")).toObject();
        QCOMPARE(source.value(QLatin1String("kind")).toString(), QStringLiteral("trace"));
        QCOMPARE(source.value(QLatin1String("argv")).toArray().at(2).toString(), QStringLiteral("echo hi | cat"));
        QList<QByteArray> events;
        for (const QByteArray &line : recorded.mid(1))
            if (!line.startsWith("{\"sample_t_ns\":"))
                events << line;
        QCOMPARE(events, lines(r.err));
        // A program that cannot run leaves no recording behind.
        const QString never = dir.filePath(QStringLiteral("never.pipescope"));
        const Result missing = cli({QStringLiteral("trace"), QStringLiteral("--record"), never, QStringLiteral("--"),
            QStringLiteral("no-such-program-pipescope")});
        QCOMPARE(missing.code, 1);
        QVERIFY(!QFile::exists(never));
    }

    void unwritableFileRunsNothing()
    {
        const Result r = cli({QStringLiteral("run"), QStringLiteral("simple"), QStringLiteral("--record"),
            QStringLiteral("/nonexistent-folder/x.pipescope")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("/nonexistent-folder/x.pipescope"), r.err.constData());
        QVERIFY(r.out.isEmpty()); // refused before the run's first line
        const Result unknown = cli({QStringLiteral("run"), QStringLiteral("no-such-scenario"),
            QStringLiteral("--record"), QDir::temp().filePath(QStringLiteral("pipescope-never-written.pipescope"))});
        QCOMPARE(unknown.code, 2);
        QVERIFY(!QFile::exists(QDir::temp().filePath(QStringLiteral("pipescope-never-written.pipescope"))));
    }
};

QTEST_GUILESS_MAIN(TstCliRecord)
#include "tst_clirecord.moc"
