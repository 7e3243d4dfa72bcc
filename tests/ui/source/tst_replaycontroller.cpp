// A recorded run replayed (ReplayController over RecordingReader): real runs are
// recorded by the CLI, replayed twice, and the run state compared after every
// event; scrubbing backwards gives the very same state; the final counters are
// the ones the CLI summed up; and broken files get one line naming the line and
// the problem, never a crash.
#include "ui/source/recordingreader.h"
#include "ui/source/replaycontroller.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pipescope;

class TstReplayController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// Runs pipescope-cli run with --record into a file of the temporary folder; returns its stdout.
    QByteArray record(const QString &file, const QStringList &runArgs)
    {
        QProcess p;
        p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
            QStringList {QStringLiteral("run")} + runArgs + QStringList {QStringLiteral("--record"), file});
        if (!p.waitForFinished(60000) || p.exitCode() != 0) {
            p.kill();
            p.waitForFinished();
            qWarning("pipescope-cli failed: %s", p.readAllStandardError().constData());
            return {};
        }
        return p.readAllStandardOutput();
    }

    /// Everything a RunState holds that the scene, the panels and the counters draw.
    static QString dump(const RunState &s)
    {
        QString out;
        QTextStream t(&out);
        for (const ProcessInfo &p : s.processes()) {
            t << "proc " << p.pid << ' ' << p.parent << ' ' << p.index << ' ' << QString::fromStdString(p.role) << ' '
              << processStateName(p.state) << " '" << QString::fromStdString(p.detail) << "' " << p.external << ' '
              << QString::fromStdString(p.program) << ' ' << p.status << ' ' << p.bytesIn << ' ' << p.bytesOut;
            for (const auto &[fd, end] : p.fds)
                t << " fd" << fd << ':' << end.inode << (end.writeEnd ? 'w' : 'r') << end.closeOnExec
                  << end.nonBlocking;
            t << '\n';
        }
        for (const PipeInfo &p : s.pipes())
            t << "pipe " << p.inode << ' ' << p.capacity << ' ' << p.written << ' ' << p.read << ' ' << p.writes << ' '
              << p.reads << ' ' << p.maxFill << ' ' << p.eofSeen << ' ' << p.inBuffer() << ' '
              << s.openEnds(p.inode, true) << ' ' << s.openEnds(p.inode, false) << '\n';
        t << "finished " << s.finished() << ' ' << s.outcome() << ' ' << s.eventCount() << '\n';
        return out;
    }

    /// The state after each event, stepping through a replay from its start.
    static QStringList stepThrough(const QString &file)
    {
        ReplayController replay;
        QString error;
        if (!replay.load(file, true, &error)) {
            qWarning("%s", qPrintable(error));
            return {};
        }
        QStringList states {dump(replay.state())};
        while (replay.position() < replay.eventCount()) {
            replay.step();
            states << dump(replay.state());
        }
        return states;
    }

    QByteArray fileBytes(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void replayIsDeterministic()
    {
        const QString file = m_dir.filePath(QStringLiteral("parent-child.pipescope"));
        QVERIFY(!record(file, {QStringLiteral("parent-child")}).isEmpty());
        const QStringList first = stepThrough(file);
        const QStringList second = stepThrough(file);
        QVERIFY(first.size() > 10);
        QCOMPARE(first, second);
        // The run moves: the states are not all one picture.
        QVERIFY(first.first() != first.last());

        // Scrubbing backwards and forwards lands on the very state stepping reached.
        ReplayController replay;
        QString error;
        QVERIFY2(replay.load(file, true, &error), qPrintable(error));
        const int count = replay.eventCount();
        QCOMPARE(first.size(), count); // load shows the first event; each step one more
        QSignalSpy resets(&replay, &EventSource::runReset);
        for (const int n : {count, 3, count / 2, 1, count - 1, count / 3}) {
            replay.seek(n);
            QCOMPARE(replay.position(), n);
            QCOMPARE(dump(replay.state()), first.at(n - 1));
        }
        QVERIFY(resets.size() >= 3); // every move back rebuilt the run from its start
        replay.seek(2);
        replay.stepBack();
        QCOMPARE(replay.position(), 1);
        QCOMPARE(dump(replay.state()), first.at(0));
    }

    void finalCountersAreTheRecordedRuns()
    {
        // 4 MiB at full speed: most calls are counted, not logged; only the samples carry the bytes.
        const QString file = m_dir.filePath(QStringLiteral("large.pipescope"));
        const QByteArray summary = record(file,
            {QStringLiteral("large-transfer"), QStringLiteral("--set"), QStringLiteral("total=4M"),
                QStringLiteral("--format"), QStringLiteral("text")});
        QVERIFY(!summary.isEmpty());
        // "  pipe:[1976017]     4194304     4194304 ..." from the CLI's summary.
        const QRegularExpression line(QStringLiteral(R"(pipe:\[(\d+)\]\s+(\d+)\s+(\d+))"));
        QMap<quint64, QPair<qint64, qint64>> cli;
        for (auto it = line.globalMatch(QString::fromUtf8(summary)); it.hasNext();) {
            const auto m = it.next();
            cli[m.captured(1).toULongLong()] = {m.captured(2).toLongLong(), m.captured(3).toLongLong()};
        }
        QCOMPARE(cli.size(), 1);

        ReplayController replay;
        QString error;
        QVERIFY2(replay.load(file, false, &error), qPrintable(error));
        QSignalSpy finished(&replay, &EventSource::runFinished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toInt(), int(OutcomeOk));
        QCOMPARE(replay.phase(), EventSource::Phase::Finished);
        QCOMPARE(replay.position(), replay.eventCount());
        QMap<quint64, QPair<qint64, qint64>> replayed;
        for (const PipeInfo &p : replay.state().pipes())
            replayed[p.inode] = {p.written, p.read};
        QCOMPARE(replayed, cli);
        QCOMPARE(replayed.first().first, qint64 {4} << 20);
        // Played through, the replay says what it is and where it was recorded.
        QVERIFY(replay.title().startsWith(QLatin1String("replay of large-transfer")));
        QVERIFY(replay.title().contains(QString::fromStdString(replay.recording().header.kernel)));
        QVERIFY(replay.title().contains(QLatin1String("recorded on 20")));
        // A Step past the end says so instead of doing nothing.
        QSignalSpy refused(&replay, &EventSource::stepRefused);
        replay.step();
        QCOMPARE(refused.size(), 1);
        // Slow motion from the start: one event per pace.
        replay.setPace(5);
        replay.restart();
        QSignalSpy moved(&replay, &ReplayController::positionChanged);
        QVERIFY(moved.wait(5000));
        QCOMPARE(moved.first().first().toInt(), 1);
        QVERIFY(finished.wait(20000));
    }

    void brokenFilesAreRefusedByLine_data()
    {
        const QString file = m_dir.filePath(QStringLiteral("good.pipescope"));
        QVERIFY(!record(file, {QStringLiteral("parent-child")}).isEmpty());
        const QByteArray good = fileBytes(file);
        QVERIFY(good.count('\n') > 10);
        const QList<QByteArray> lines = good.left(good.size() - 1).split('\n');
        auto join = [](const QList<QByteArray> &l) { return l.join('\n') + '\n'; };

        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("line 1: the file is empty");
        QByteArray noise(4096, '\0');
        QRandomGenerator random(12);
        for (char &c : noise)
            c = static_cast<char>(random.bounded(256));
        QTest::newRow("random bytes") << noise + '\n' << QStringLiteral("line 1: not a PipeScope recording");
        QTest::newRow("random bytes, no newline") << noise << QStringLiteral("line 1: ");
        QTest::newRow("other JSON") << QByteArray("{\"name\": \"package.json\", \"version\": \"1.0\"}\n")
                                    << QStringLiteral("line 1: not a PipeScope recording (a JSON object without");
        QTest::newRow("jsonl without header")
            << join(lines.mid(1)) << QStringLiteral("line 1: not a PipeScope recording (a JSON object without");
        const QByteArray magic = "\"pipescope_recording\":" + QByteArray::number(RecordingHeader::kVersion) + ',';
        QVERIFY(good.startsWith('{' + magic));
        QByteArray future = good;
        future.replace(magic, "\"pipescope_recording\":999,");
        QTest::newRow("version 999") << future << QStringLiteral("line 1: recorded in format version 999 by a newer");
        QByteArray version0 = good;
        version0.replace(magic, "\"pipescope_recording\":\"1\",");
        QTest::newRow("version as text") << version0
                                         << QStringLiteral("line 1: \"pipescope_recording\" is not a format");
        QTest::newRow("cut inside a line") << good.left(
            good.size() - 10) << QStringLiteral("line %1: the file ends inside this line").arg(lines.size());
        QTest::newRow("cut after a line")
            << join(lines.mid(0, 6)) << QStringLiteral("line 7: the file ends before the run finished");
        QTest::newRow("header only") << join(lines.mid(0, 1))
                                     << QStringLiteral("line 2: the file ends before the run's first event");
        QList<QByteArray> damaged = lines;
        const qsizetype fork = std::find_if(lines.begin(), lines.end(), [](const QByteArray &l) {
            return l.contains("\"kind\":\"fork\"");
        }) - lines.begin();
        QVERIFY(fork < lines.size());
        damaged[fork] = damaged[fork].replace("\"kind\":\"fork\"", "\"kind\":\"spoon\"");
        QTest::newRow("unknown kind") << join(damaged) << QStringLiteral("line %1: ").arg(fork + 1);
        damaged = lines;
        damaged[3] = damaged[3].left(damaged[3].size() / 2);
        QTest::newRow("half a line") << join(damaged) << QStringLiteral("line 4: not JSON");
        damaged = lines;
        damaged.insert(3, "{\"sample_t_ns\":5,\"pipes\":[{\"inode\":7}],\"processes\":[]}");
        QTest::newRow("bad sample") << join(damaged) << QStringLiteral("line 4: a sample's pipe needs");
        damaged = lines;
        damaged.insert(3, "{\"fds_t_ns\":5,\"tables\":[{\"pid\":7}]}");
        QTest::newRow("fd table without fds")
            << join(damaged) << QStringLiteral("line 4: an fd table needs pid and fds");
        damaged = lines;
        damaged.insert(3, "{\"fds_t_ns\":5,\"tables\":[{\"pid\":7,\"fds\":[{\"fd\":3,\"target\":\"pipe:[9]\"}]}]}");
        QTest::newRow("fd without its ends") << join(damaged) << QStringLiteral("line 4: an fd needs fd, target");
        damaged = lines;
        damaged.insert(3, "{\"fds_t_ns\":-5,\"tables\":[]}");
        QTest::newRow("fd tables before the start")
            << join(damaged) << QStringLiteral("line 4: an fd-table line has exactly \"fds_t_ns\"");
        damaged = lines;
        damaged.append(lines.at(1)); // run-started again
        QTest::newRow("event after the end")
            << join(damaged) << QStringLiteral("line %1: an event after run-finished").arg(lines.size() + 1);
    }

    void brokenFilesAreRefusedByLine()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(QStringLiteral("broken.pipescope"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        ReplayController replay;
        QString error;
        QVERIFY(!replay.load(path, true, &error));
        QVERIFY2(error.startsWith(path + QStringLiteral(": ") + expected), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error)); // one line
        QCOMPARE(replay.phase(), EventSource::Phase::Idle);
        QCOMPARE(replay.eventCount(), 0);
    }

    void traceRecordingReplays()
    {
        // What `trace --record` writes: a trace header, then the trace's own jsonl lines (no samples:
        // every call of a traced program is an event).
        const QStringList argv {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hi | cat")};
        const QString jsonl = m_dir.filePath(QStringLiteral("trace.jsonl")); // apart from the program's own output
        QProcess p;
        p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
            QStringList {QStringLiteral("trace"), QStringLiteral("--format"), QStringLiteral("jsonl"),
                QStringLiteral("--output"), jsonl, QStringLiteral("--")}
                + argv);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        std::vector<std::string> args;
        for (const QString &a : argv)
            args.push_back(a.toStdString());
        const QString file = m_dir.filePath(QStringLiteral("trace.pipescope"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(RecordingHeader::forTrace(args).toJson()) + '\n' + fileBytes(jsonl));
        f.close();
        ReplayController replay;
        QString error;
        QVERIFY2(replay.load(file, true, &error), qPrintable(error));
        replay.seek(replay.eventCount());
        QCOMPARE(replay.phase(), EventSource::Phase::Finished);
        QVERIFY(replay.title().startsWith(QLatin1String("replay of sh -c echo hi | cat")));
        // The node of the child that exec'd cat is named cat, as the live trace names it; "hi\n" went through.
        bool cat = false;
        for (const ProcessInfo &proc : replay.state().processes())
            cat |= proc.role == "cat";
        QVERIFY(cat);
        bool three = false;
        for (const PipeInfo &pipe : replay.state().pipes())
            three |= pipe.written == 3 && pipe.read == 3;
        QVERIFY(three);
    }

    void missingFileIsNamed()
    {
        ReplayController replay;
        QString error;
        QVERIFY(!replay.load(QStringLiteral("/nonexistent/run.pipescope"), true, &error));
        QVERIFY2(error.contains(QLatin1String("/nonexistent/run.pipescope")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TstReplayController)
#include "tst_replaycontroller.moc"
