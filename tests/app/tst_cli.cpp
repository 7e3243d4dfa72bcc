// pipescope-cli as a user meets it: every scenario in every format, and bad input
// refused with one clear line, a non-zero exit and nothing left running.
#include "runharness.h"

#include <QElapsedTimer>
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

    static QString cliPath() { return QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")); }

    static Result cli(const QStringList &args, const QByteArray &input = {}) { return start(cliPath(), args, input); }

    /// Runs pipescope-cli with arguments given as bytes. QProcess takes QStrings,
    /// which cannot hold bytes that are not UTF-8, so the shell's printf rebuilds
    /// each argument from octal escapes and execs the real binary with them.
    static Result cliBytes(const QList<QByteArray> &args)
    {
        QString script = QStringLiteral("exec \"$0\"");
        for (const QByteArray &arg : args) {
            script += QStringLiteral(" \"$(printf '");
            for (const char c : arg)
                script += QStringLiteral("\\%1").arg(uint(uchar(c)), 3, 8, QLatin1Char('0'));
            script += QStringLiteral("')\"");
        }
        return start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script, cliPath()});
    }

    static Result start(const QString &program, const QStringList &args, const QByteArray &input = {})
    {
        QProcess p;
        p.start(program, args);
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

    void listStatesTheInputRules_data()
    {
        QTest::addColumn<QString>("line");
        QTest::newRow("each key once") << "Parameters: --set key=value, each key at most once.";
        QTest::newRow("int") << "    int   a whole number in decimal digits, optionally after '-'";
        QTest::newRow("size") << "    size  bytes: decimal digits with an optional K, M or G in either case, binary";
        QTest::newRow("bool") << "    bool  true/false, yes/no, on/off or 1/0, in any case";
        QTest::newRow("text") << "    text  UTF-8 text, sent as its bytes; bounds count bytes";
        QTest::newRow("text bounds") << "--set message=Hello, pipe!  (text, 1 .. 4096 bytes)";
        QTest::newRow("zombie rule") << "    rule: zombie-ms must be less than watchdog-ms, unless fixed is true";
        QTest::newRow("capacity rule")
            << "    rule: reader-delay-ms must be less than watchdog-ms, unless fixed is true";
        QTest::newRow("select rule") << "    rule: written must be at most pipes";
    }

    void listStatesTheInputRules()
    {
        QFETCH(QString, line);
        const Result r = cli({QStringLiteral("list")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(line.toUtf8()), qPrintable(line));
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

    void refusedInput_data()
    {
        // Issue 13, section 3: each refused input gets exit 2 and exactly one error line.
        QTest::addColumn<QList<QByteArray>>("args");
        QTest::addColumn<QString>("message");
        const auto run = [](std::initializer_list<QByteArray> rest) {
            QList<QByteArray> l {"run"};
            for (const QByteArray &a : rest)
                l << a;
            return l;
        };
        const QByteArray e = QStringLiteral("\u00e9").toUtf8();
        QTest::newRow("size with plus") << run({"large-transfer", "--set", "total=+5"}) << "total: '+5' is not a size";
        QTest::newRow("size with fraction")
            << run({"large-transfer", "--set", "total=1.5G"}) << "total: '1.5G' is not a size";
        QTest::newRow("size KB") << run({"large-transfer", "--set", "total=4KB"}) << "total: '4KB' is not a size";
        QTest::newRow("int with plus") << run({"select", "--set", "pipes=+2"}) << "pipes: '+2' is not a whole number";
        QTest::newRow("bool maybe") << run({"zombie", "--set",
            "fixed=maybe"}) << "fixed: 'maybe' is not a boolean (true/false, yes/no, on/off or 1/0, in any case)";
        QTest::newRow("duplicate set") << run({"large-transfer", "--set", "total=1M", "--set", "total=2M"})
                                       << "parameter 'total' is set more than once";
        QTest::newRow("duplicate set=") << run({"large-transfer", "--set=chunk=4K", "--set", "chunk=4K"})
                                        << "parameter 'chunk' is set more than once";
        QTest::newRow("text counts bytes") << run({"simple", "--set", "message=" + e.repeated(4096)})
                                           << "message: length 8192 bytes is out of range (1 .. 4096 bytes of UTF-8)";
        QTest::newRow("text not UTF-8")
            << run({"simple", "--set", "message=caf\xE9"})
            << "message: byte 0xE9 at offset 3 is not valid UTF-8; parameter values take UTF-8 only";
        QTest::newRow("text not UTF-8 in set=")
            << run({"subprocess", "--set=program=\xFF"})
            << "program: byte 0xFF at offset 0 is not valid UTF-8; parameter values take UTF-8 only";
        QTest::newRow("name not UTF-8") << run({"simple\xC0"})
                                        << "argument 2: byte 0xC0 at offset 6 is not valid UTF-8; pipescope-cli takes "
                                           "UTF-8 only";
        QTest::newRow("value with newline")
            << run({"large-transfer", "--set", "total=1\n2"}) << "total: '1\\x0A2' is not a size";
        QTest::newRow("zombie rule") << run({"zombie", "--set", "zombie-ms=5000"})
                                     << "zombie-ms: 5000 must be less than watchdog-ms (5000)";
        QTest::newRow("capacity rule") << run({"capacity", "--set", "reader-delay-ms=2000", "--set",
            "watchdog-ms=2000"}) << "reader-delay-ms: 2000 must be less than watchdog-ms (2000)";
        QTest::newRow("select rule") << run({"select", "--set", "written=3"}) << "written: 3 is more than pipes (2)";
        QTest::newRow("time limit not a number")
            << run({"simple", "--time-limit", "soon"})
            << "--time-limit: 'soon' is not a number of milliseconds (1 .. 86400000)";
        QTest::newRow("time limit zero") << run({"simple", "--time-limit", "0"})
                                         << "--time-limit: '0' is not a number of milliseconds (1 .. 86400000)";
        QTest::newRow("time limit negative") << run({"simple", "--time-limit=-5"})
                                             << "--time-limit: '-5' is not a number of milliseconds (1 .. 86400000)";
        QTest::newRow("time limit too long")
            << run({"simple", "--time-limit", "86400001"})
            << "--time-limit: '86400001' is not a number of milliseconds (1 .. 86400000)";
        QTest::newRow("list format") << QList<QByteArray> {"list", "--format", "xml"}
                                     << "list takes only --format text|jsonl, got '--format xml'";
    }

    void refusedInput()
    {
        QFETCH(QList<QByteArray>, args);
        QFETCH(QString, message);
        const Result r = cliBytes(args);
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("pipescope-cli: error: " + message.toUtf8()), r.err.constData());
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        QVERIFY(noChildrenLeft());
    }

    void acceptedInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("size lower m") << QStringList {
            QStringLiteral("large-transfer"), QStringLiteral("--set"), QStringLiteral("total=1m")};
        QTest::newRow("size lower k") << QStringList {
            QStringLiteral("large-transfer"), QStringLiteral("--set"), QStringLiteral("chunk=8k")};
        QTest::newRow("bool TRUE") << QStringList {
            QStringLiteral("zombie"), QStringLiteral("--set"), QStringLiteral("fixed=TRUE")};
        QTest::newRow("bool 1") << QStringList {
            QStringLiteral("zombie"), QStringLiteral("--set"), QStringLiteral("fixed=1")};
        QTest::newRow("text 4096 bytes of e acute") << QStringList {
            QStringLiteral("simple"), QStringLiteral("--set"), QStringLiteral("message=") + QString(2048, QChar(0xE9))};
    }

    void acceptedInput()
    {
        QFETCH(QStringList, args);
        const Result r = cli(QStringList {QStringLiteral("run")} + args);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QVERIFY(r.out.contains("run finished: ok"));
        QVERIFY(noChildrenLeft());
    }

    void listSaysWhichScenariosMayRunForever()
    {
        const Result r = cli({QStringLiteral("list")});
        QCOMPARE(r.code, 0);
        const QByteArray line
            = "    may run for ever: with a program that never ends by itself (program=yes: data keeps "
              "flowing, so --watchdog never fires); stop it with --time-limit MS\n";
        // Once, in the block of subprocess, the one scenario that runs a program of the user's choice.
        int found = 0;
        QByteArray owner;
        for (const QByteArray &l : r.out.split('\n')) {
            if (!l.isEmpty() && l.at(0) != ' ')
                owner = l;
            if (l + '\n' == line) {
                ++found;
                QCOMPARE(owner, QByteArray("subprocess"));
            }
        }
        QCOMPARE(found, 1);
    }

    void listInJsonLines()
    {
        const Result r = cli({QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("jsonl")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QMap<QString, QJsonObject> listed;
        for (const QByteArray &line : r.out.trimmed().split('\n')) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), line.constData());
            listed.insert(doc.object().value(QStringLiteral("name")).toString(), doc.object());
        }
        for (const QString &s : scenarios())
            QVERIFY2(listed.contains(s), qPrintable(s));
        // The same numbers as the text listing: "--set total=1M  (size, 1 .. 1G)".
        QJsonObject total;
        for (const QJsonValue &p :
            listed.value(QStringLiteral("large-transfer")).value(QStringLiteral("params")).toArray())
            if (p.toObject().value(QStringLiteral("name")).toString() == QLatin1String("total"))
                total = p.toObject();
        QCOMPARE(total.value(QStringLiteral("type")).toString(), QStringLiteral("size"));
        QCOMPARE(total.value(QStringLiteral("default")).toString(), QStringLiteral("1M"));
        QCOMPARE(total.value(QStringLiteral("min")).toInteger(), 1);
        QCOMPARE(total.value(QStringLiteral("max")).toInteger(), qint64(1) << 30);
        const QJsonArray rules = listed.value(QStringLiteral("zombie")).value(QStringLiteral("rules")).toArray();
        QCOMPARE(rules.size(), 1);
        QVERIFY(rules.at(0).toString().startsWith(QStringLiteral("zombie-ms must be less than watchdog-ms")));
        QCOMPARE(listed.value(QStringLiteral("subprocess")).value(QStringLiteral("forever_param")).toString(),
            QStringLiteral("program"));
        QVERIFY(!listed.value(QStringLiteral("simple")).contains(QStringLiteral("forever_param")));
    }

    void timeLimitEndsARunThatNeverEnds()
    {
        // yes never ends and data keeps flowing, so no watchdog fires: only the time limit stops it.
        QElapsedTimer clock;
        clock.start();
        const Result r = cli({QStringLiteral("run"), QStringLiteral("subprocess"), QStringLiteral("--set"),
            QStringLiteral("program=yes"), QStringLiteral("--watchdog"), QStringLiteral("300"),
            QStringLiteral("--time-limit"), QStringLiteral("500"), QStringLiteral("--format"),
            QStringLiteral("jsonl")});
        const qint64 ms = clock.elapsed();
        QCOMPARE(r.code, 4);
        QCOMPARE(r.err,
            QByteArray("pipescope-cli: error: stopped: time limit of 500 ms reached; every process was killed and "
                       "reaped\n"));
        QVERIFY2(ms >= 500, qPrintable(QString::number(ms)));
        QList<int> pids;
        QJsonObject last;
        bool note = false;
        for (const QByteArray &line : r.out.trimmed().split('\n')) {
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            QVERIFY2(!e.isEmpty(), line.constData());
            pids << e.value(QStringLiteral("pid")).toInt();
            note |= e.value(QStringLiteral("text"))
                        .toString()
                        .startsWith(QStringLiteral("stopped: time limit of 500 ms reached"));
            last = e;
        }
        QVERIFY(note);
        QCOMPARE(last.value(QStringLiteral("kind")).toString(), QStringLiteral("run-finished"));
        QCOMPARE(last.value(QStringLiteral("code")).toInt(), 4);
        QCOMPARE(last.value(QStringLiteral("text")).toString(), QStringLiteral("time-limit"));
        // yes, its parent and the runner: none is left, not even as a zombie.
        QVERIFY(pids.size() > 3);
        for (int pid : std::as_const(pids))
            QVERIFY2(processGone(pid), qPrintable(QString::number(pid)));
        QVERIFY(noChildrenLeft());
    }

    void timeLimitLeavesAShortRunAlone()
    {
        const Result r = cli(
            {QStringLiteral("run"), QStringLiteral("simple"), QStringLiteral("--time-limit"), QStringLiteral("20000")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QVERIFY(r.out.contains("run finished: ok"));
    }

    /// A socket's read returns 0 when its peer socket is closed (there are no write ends to
    /// count): the EOF line and the clean-up say socket; a pipe's say what they said.
    void aSocketsEofIsItsPeersClose()
    {
        const Result socket = cli({QStringLiteral("run"), QStringLiteral("socketpair")});
        QCOMPARE(socket.code, 0);
        QVERIFY2(socket.out.contains(") = 0  EOF: the peer socket was closed"), socket.out.constData());
        QVERIFY(!socket.out.contains("every write end"));
        QVERIFY(socket.out.contains("clean-up (socket ends above fd 2;"));
        QVERIFY(socket.out.contains(" socket ends itself;"));
        QVERIFY(!socket.out.contains(" pipe ends itself"));
        const Result pipe = cli({QStringLiteral("run"), QStringLiteral("parent-child")});
        QCOMPARE(pipe.code, 0);
        QVERIFY2(pipe.out.contains(") = 0  EOF: every write end is closed"), pipe.out.constData());
        QVERIFY(!pipe.out.contains("peer socket"));
        QVERIFY(pipe.out.contains("clean-up (pipe ends above fd 2;"));
        QVERIFY(pipe.out.contains("closed 2 pipe ends itself;"));
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
