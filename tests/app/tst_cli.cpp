// pipescope-cli as a user meets it: every scenario in every format, and bad input
// refused with one clear line, a non-zero exit and nothing left running.
#include "runharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace pipescope::test;

class TestCli : public QObject
{
    Q_OBJECT

private:
    struct Result {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    static Result cli(const QStringList &args, const QByteArray &input = {})
    {
        QProcess p;
        p.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")), args);
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

    static QStringList scenarios()
    {
        return {QStringLiteral("simple"), QStringLiteral("parent-child"), QStringLiteral("bidirectional"),
            QStringLiteral("subprocess"), QStringLiteral("nonblocking"), QStringLiteral("select"),
            QStringLiteral("large-transfer")};
    }

private slots:
    void listShowsEveryScenarioWithItsParameters()
    {
        const Result r = cli({QStringLiteral("list")});
        QCOMPARE(r.code, 0);
        for (const QString &s : scenarios())
            QVERIFY2(r.out.contains(s.toUtf8() + '\n'), qPrintable(s));
        QVERIFY(r.out.contains("--set total=1M  (size, 1 .. 1G)"));
        QVERIFY(r.out.contains("--set pipes=2  (int, 1 .. 64)"));
    }

    void platformPrintsTheKernelsNumbers()
    {
        const Result r = cli({QStringLiteral("platform")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("PIPE_BUF"), r.out.constData());
        QVERIFY2(r.out.contains("65536"), r.out.constData());
    }

    void everyScenarioInEveryFormat_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("format");
        for (const QString &s : scenarios()) {
            for (const char *f : {"text", "jsonl", "chrome"})
                QTest::newRow(qPrintable(s + QLatin1Char(' ') + QLatin1String(f))) << s << QString::fromLatin1(f);
        }
    }

    void everyScenarioInEveryFormat()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, format);
        QStringList args = {QStringLiteral("run"), scenario, QStringLiteral("--format"), format};
        if (scenario == QLatin1String("nonblocking"))
            args << QStringLiteral("--set") << QStringLiteral("delay-ms=30");
        const Result r = cli(args);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        if (format == QLatin1String("text")) {
            QVERIFY(r.out.contains("run finished: ok"));
            QVERIFY(r.out.contains("pipes:\n"));
            QVERIFY(r.out.contains("pipe2(["));
        } else if (format == QLatin1String("jsonl")) {
            const QList<QByteArray> lines = r.out.trimmed().split('\n');
            QVERIFY(lines.size() > 5);
            QStringList kinds;
            for (const QByteArray &line : lines) {
                QJsonParseError error;
                const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
                QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
                QVERIFY(doc.isObject());
                kinds << doc.object().value(QStringLiteral("kind")).toString();
            }
            QCOMPARE(kinds.first(), QStringLiteral("run-started"));
            QCOMPARE(kinds.last(), QStringLiteral("run-finished"));
            QVERIFY(kinds.contains(QStringLiteral("pipe")));
        } else {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
            const QJsonArray events = doc.object().value(QStringLiteral("traceEvents")).toArray();
            QVERIFY(events.size() > 5);
            bool slice = false, counter = false, lane = false;
            for (const QJsonValue &v : events) {
                const QString ph = v.toObject().value(QStringLiteral("ph")).toString();
                slice |= ph == QLatin1String("X");
                counter |= ph == QLatin1String("C");
                lane |= ph == QLatin1String("M");
            }
            QVERIFY(slice && counter && lane);
        }
        QVERIFY(noChildrenLeft());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const auto run = [](std::initializer_list<const char *> rest) {
            QStringList l {QStringLiteral("run")};
            for (const char *a : rest)
                l << QString::fromLatin1(a);
            return l;
        };
        QTest::newRow("no command") << QStringList {} << 2 << "usage:";
        QTest::newRow("unknown command") << QStringList {QStringLiteral("fly")} << 2 << "unknown command 'fly'";
        QTest::newRow("no scenario") << run({}) << 2 << "run needs a scenario name";
        QTest::newRow("unknown scenario") << run({"teleport"}) << 2 << "unknown scenario 'teleport'";
        QTest::newRow("unknown key") << run({"simple", "--set", "speed=3"}) << 2 << "unknown parameter 'speed'";
        QTest::newRow("no equals") << run({"simple", "--set", "message"}) << 2 << "--set wants key=value";
        QTest::newRow("malformed size") << run({"large-transfer", "--set", "total=12Q"}) << 2
                                        << "total: '12Q' is not a size";
        QTest::newRow("out of range") << run({"large-transfer", "--set", "chunk=0"}) << 2
                                      << "chunk: '0' is out of range";
        QTest::newRow("bad format") << run({"simple", "--format", "xml"}) << 2 << "unknown format 'xml'";
        QTest::newRow("bad pace") << run({"simple", "--pace", "soon"}) << 2 << "--pace: 'soon'";
        QTest::newRow("unknown option") << run({"simple", "--turbo"}) << 2 << "Unknown option 'turbo'";
        QTest::newRow("missing program")
            << run({"subprocess", "--set", "program=pipescope-no-such-program"}) << 1
            << "cannot run 'pipescope-no-such-program': No such file or directory (ENOENT)";
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Result r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        if (code == 2)
            QVERIFY2(!r.out.contains("run-started") && !r.out.contains("run "), r.out.constData());
        QVERIFY(noChildrenLeft());
    }

    void stepModeWaitsForEnter()
    {
        // With every Enter given up front, each gate is passed once: one prompt per step.
        const Result r
            = cli({QStringLiteral("run"), QStringLiteral("simple"), QStringLiteral("--step")}, QByteArray(64, '\n'));
        QCOMPARE(r.code, 0);
        QCOMPARE(r.err.count("press Enter"), 5); // pipe2, write, read, close, close
        QCOMPARE(r.out.count("held at gate"), 5);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
