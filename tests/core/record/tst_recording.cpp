// The recording format's writer (core/record): the header says what ran and
// where, the event lines are the jsonl format's own, samples carry the live
// counters so that a replay folds them in exactly as a live run does.
#include "core/export/eventjson.h"
#include "core/lessons/platforminfo.h"
#include "core/model/runstate.h"
#include "core/model/sharedstate.h"
#include "core/record/countersample.h"
#include "core/record/fdsnapshot.h"
#include "core/record/recordingheader.h"
#include "core/record/recordingwriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace pipescope;

class TstRecording : public QObject
{
    Q_OBJECT

private:
    static QJsonObject parse(const QByteArray &line)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError)
            qWarning("not JSON (%s): %s", qPrintable(error.errorString()), line.constData());
        return doc.object();
    }

    /// A small run: a pipe, a fork, a write the child reads, exits.
    static std::vector<Event> smallRun()
    {
        std::vector<Event> run;
        auto add = [&run](EventKind kind, int pid, auto &&fill) {
            Event e;
            e.seq = run.size() + 1;
            e.kind = kind;
            e.pid = pid;
            e.timeNs = 5'000'000'000 + static_cast<std::int64_t>(run.size()) * 1000;
            fill(e);
            run.push_back(e);
        };
        add(EventKind::RunStarted, 10, [](Event &) {});
        add(EventKind::ProcessStarted, 11, [](Event &e) { e.setText("parent"); });
        add(EventKind::PipeCreated, 11, [](Event &e) {
            e.fd = 3;
            e.fd2 = 4;
            e.inode = 777;
            e.requested = 65536;
        });
        add(EventKind::Fork, 11, [](Event &e) {
            e.result = 12;
            e.otherPid = 12;
            e.setText("child");
        });
        add(EventKind::Write, 11, [](Event &e) {
            e.fd = 4;
            e.inode = 777;
            e.requested = 5;
            e.result = 5;
            e.setText("hello");
        });
        add(EventKind::Read, 12, [](Event &e) {
            e.fd = 3;
            e.inode = 777;
            e.requested = 100;
            e.result = 5;
        });
        add(EventKind::RunFinished, 10, [](Event &) {});
        return run;
    }

    static QList<QByteArray> lines(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QByteArray all = f.readAll();
        if (all.endsWith('\n'))
            all.chop(1);
        return all.split('\n');
    }

private slots:
    void headerSaysWhatRanAndWhere()
    {
        const RecordingHeader h = RecordingHeader::forScenario("parent-child", {{"message", "hi"}});
        const QJsonObject o = parse(QByteArray::fromStdString(h.toJson()));
        QCOMPARE(o.value(QLatin1String(RecordingHeader::kMagicKey)).toInt(), RecordingHeader::kVersion);
        const PlatformInfo platform = PlatformInfo::read();
        QCOMPARE(o.value(QLatin1String("kernel")).toString().toStdString(), platform.kernel());
        const QJsonObject host = o.value(QLatin1String("host")).toObject();
        QCOMPARE(host.value(QLatin1String("pipe_buf")).toInteger(), platform.pipeBuf());
        QCOMPARE(host.value(QLatin1String("pipe_capacity")).toInteger(), platform.defaultPipeCapacity());
        QCOMPARE(host.value(QLatin1String("page_size")).toInteger(), platform.pageSize());
        QVERIFY(QDateTime::fromString(o.value(QLatin1String("created")).toString(), Qt::ISODate).isValid());
        const QJsonObject source = o.value(QLatin1String("source")).toObject();
        QCOMPARE(source.value(QLatin1String("kind")).toString(), QStringLiteral("scenario"));
        QCOMPARE(source.value(QLatin1String("name")).toString(), QStringLiteral("parent-child"));
        // The value given and every default: the file says what ran without this build's catalogue.
        const QJsonObject params = source.value(QLatin1String("params")).toObject();
        QCOMPARE(params.value(QLatin1String("message")).toString(), QStringLiteral("hi"));
        QVERIFY(params.size() >= 1);
        QVERIFY(o.value(QLatin1String("listing")).toString().contains(QLatin1String("pipe(")));

        const RecordingHeader t = RecordingHeader::forTrace({"sh", "-c", "echo \"a\" | cat"});
        const QJsonObject traced
            = parse(QByteArray::fromStdString(t.toJson())).value(QLatin1String("source")).toObject();
        QCOMPARE(traced.value(QLatin1String("kind")).toString(), QStringLiteral("trace"));
        QCOMPARE(traced.value(QLatin1String("argv")).toArray().at(2).toString(), QStringLiteral("echo \"a\" | cat"));
    }

    void sampleFoldsInAsLiveCountersDo()
    {
        CounterSample s;
        s.timeNs = 42;
        s.pipes.push_back({777, 65536, 1 << 30, (1 << 30) - 100, 262144, 262143, 65536, false});
        s.processes.push_back({11, 0, 1 << 30});
        auto shared = std::make_unique<SharedState>();
        s.fill(*shared);
        RunState viaSample;
        for (const Event &e : smallRun())
            viaSample.apply(e);
        viaSample.applyCounters(*shared);
        const PipeInfo *p = viaSample.pipe(777);
        QVERIFY(p);
        QCOMPARE(p->written, std::int64_t {1} << 30);
        QCOMPARE(p->inBuffer(), std::int64_t {100});
        QCOMPARE(viaSample.process(11)->bytesOut, std::int64_t {1} << 30);
        // What a sample of that state holds is the same counters again.
        QVERIFY(CounterSample::fromState(viaSample, 0).pipes == s.pipes);

        const QJsonObject o = parse(QByteArray::fromStdString(s.toJson(40)));
        QCOMPARE(o.value(QLatin1String("sample_t_ns")).toInteger(), 2);
        QCOMPARE(o.value(QLatin1String("pipes")).toArray().at(0).toObject().value(QLatin1String("written")).toInteger(),
            std::int64_t {1} << 30);
    }

    void eventLinesAreTheJsonlFormat()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.pipescope"));
        const std::vector<Event> run = smallRun();
        RunState state;
        for (const Event &e : run)
            state.apply(e);
        std::string error;
        QVERIFY(RecordingWriter::writeRun(path.toStdString(), RecordingHeader::forScenario("parent-child", {}), run,
            CounterSample::fromState(state, 0), &error));
        const QList<QByteArray> written = lines(path);
        QCOMPARE(written.size(), static_cast<qsizetype>(run.size() + 2)); // header, events, final sample
        QVERIFY(parse(written.first()).contains(QLatin1String(RecordingHeader::kMagicKey)));
        RunState roles;
        for (std::size_t i = 0; i < run.size(); ++i) {
            roles.apply(run[i]);
            const ProcessInfo *p = roles.process(run[i].pid);
            QCOMPARE(written.at(static_cast<qsizetype>(i + 1)).toStdString(),
                EventJson::toJson(run[i], roles.startNs(), p ? p->role : "runner"));
        }
        QVERIFY(parse(written.last()).contains(QLatin1String("sample_t_ns")));
    }

    void samplesOnlyWhenCountersMove()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("samples.pipescope"));
        RecordingWriter writer;
        std::string error;
        QVERIFY(writer.open(path.toStdString(), RecordingHeader::forScenario("simple", {}), &error));
        CounterSample s;
        s.pipes.push_back({1, 65536, 10, 0, 1, 0, 10, false});
        writer.addSample(s, 0); // first: written
        s.pipes[0].written = 20;
        s.timeNs = 1000;
        writer.addSample(s, 0); // changed but too soon: not written
        s.timeNs = 2000;
        writer.addSample(s, 0, true); // forced: written
        s.timeNs += RecordingWriter::kSampleIntervalNs;
        writer.addSample(s, 0); // unchanged: not written
        s.pipes[0].read = 20;
        writer.addSample(s, 0); // changed, interval passed: written
        s.timeNs += 1;
        writer.addSample(s, 0, true); // forced, unchanged (the final counters): written
        QVERIFY(writer.close(&error));
        QCOMPARE(lines(path).size(), 5); // the header and 4 samples
    }

    /// An fd-table line is this process's real /proc table (a pipe it holds is in it, with its
    /// ends and flags), written only when the tables changed; writeRun puts it where its time falls.
    void fdTablesAsProcSaysAndOnlyWhenTheyChange()
    {
        int p[2];
        QCOMPARE(pipe2(p, O_CLOEXEC), 0);
        RunState state;
        Event started;
        started.kind = EventKind::RunStarted;
        started.pid = getpid();
        started.timeNs = 1000;
        state.apply(started);
        Event me;
        me.kind = EventKind::ProcessStarted;
        me.pid = getpid();
        std::snprintf(me.text, sizeof me.text, "parent");
        me.timeNs = 2000;
        state.apply(me);
        const FdSnapshot snapshot = FdSnapshot::read(state, 1500);
        QCOMPARE(snapshot.tables.size(), std::size_t {1});
        struct stat st {
        };
        QCOMPARE(fstat(p[0], &st), 0);
        bool readEnd = false;
        bool writeEnd = false;
        for (const FdEntry &e : snapshot.tables.front().fds) {
            readEnd |= e.fd == p[0] && e.pipeInode == st.st_ino && e.readEnd && e.closeOnExec;
            writeEnd |= e.fd == p[1] && e.pipeInode == st.st_ino && e.writeEnd;
        }
        QVERIFY(readEnd && writeEnd);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fds.pipescope"));
        std::string error;
        CounterSample final;
        QVERIFY(RecordingWriter::writeRun(path.toStdString(), RecordingHeader::forScenario("simple", {}), {started, me},
            final, &error, {}, {snapshot, snapshot}));
        const QList<QByteArray> written = lines(path);
        // header, run-started, the tables (once: the second is the same), process-started, the final sample
        QCOMPARE(written.size(), 5);
        const QJsonObject fds = parse(written[2]);
        QCOMPARE(fds.value(QLatin1String("fds_t_ns")).toInteger(), 500); // since the run's start
        const QJsonArray tables = fds.value(QLatin1String("tables")).toArray();
        QCOMPARE(tables.size(), 1);
        QCOMPARE(tables[0].toObject().value(QLatin1String("pid")).toInteger(), qint64 {getpid()});
        bool found = false;
        for (const QJsonValue &v : tables[0].toObject().value(QLatin1String("fds")).toArray()) {
            const QJsonObject e = v.toObject();
            found |= e.value(QLatin1String("fd")).toInt() == p[1]
                && e.value(QLatin1String("pipe_inode")).toInteger() == static_cast<qint64>(st.st_ino)
                && e.value(QLatin1String("write")).toBool()
                && e.value(QLatin1String("target")).toString() == QStringLiteral("pipe:[%1]").arg(st.st_ino);
        }
        QVERIFY(found);
        close(p[0]);
        close(p[1]);
    }

    void writeFailureIsReported()
    {
        if (!QFile::exists(QStringLiteral("/dev/full")))
            QSKIP("no /dev/full here");
        RecordingWriter writer;
        std::string error;
        QVERIFY(writer.open("/dev/full", RecordingHeader::forScenario("simple", {}), &error));
        for (const Event &e : smallRun())
            writer.addEvent(e, 0, "x");
        QVERIFY(!writer.close(&error));
        QVERIFY2(error.find("No space left") != std::string::npos, error.c_str());
        QVERIFY(!writer.open("/nonexistent-folder/run.pipescope", RecordingHeader {}, &error));
        QVERIFY2(error.find("/nonexistent-folder/run.pipescope") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TstRecording)
#include "tst_recording.moc"
