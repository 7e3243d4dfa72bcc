// The export formats are written by hand in plain C++ (core/export): check
// that what they write is JSON a real parser accepts, whatever bytes a
// process put in a pipe, and that the fields carry the event's facts.
#include "core/export/chrometrace.h"
#include "core/export/eventjson.h"
#include "core/export/jsonwriter.h"
#include "core/model/runstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace pipescope;

class TstExport : public QObject
{
    Q_OBJECT

private:
    static QJsonObject parse(const std::string &text)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
        if (error.error != QJsonParseError::NoError)
            qWarning("not JSON (%s): %s", qPrintable(error.errorString()), text.c_str());
        return doc.object();
    }

private slots:
    void quotesEveryByte_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QByteArray("Hello, pipe!") << QStringLiteral("Hello, pipe!");
        QTest::newRow("quote and backslash") << QByteArray("a\"b\\c") << QStringLiteral("a\"b\\c");
        QTest::newRow("controls") << QByteArray("\n\t\r\x01\x1f", 5) << QStringLiteral("\n\t\r\x01\x1f");
        QTest::newRow("nul") << QByteArray("a\0b", 3) << QStringLiteral("a") + QChar(0) + QStringLiteral("b");
        QTest::newRow("utf-8 kept") << QByteArray("pipe \xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80")
                                    << QString::fromUtf8("pipe \xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80");
        QTest::newRow("lone continuation") << QByteArray("a\x80z") << QStringLiteral("a\uFFFDz");
        QTest::newRow("truncated sequence") << QByteArray("a\xe2\x86") << QStringLiteral("a\uFFFD\uFFFD");
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << QStringLiteral("\uFFFD\uFFFD");
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QStringLiteral("\uFFFD\uFFFD\uFFFD");
        QTest::newRow("0xff") << QByteArray("\xff") << QStringLiteral("\uFFFD");
    }

    void quotesEveryByte()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const std::string json
            = JsonWriter()
                  .add("text", std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())))
                  .str();
        QCOMPARE(parse(json).value(QStringLiteral("text")).toString(), expected);
    }

    void numbersReadBack()
    {
        const QJsonObject o = parse(JsonWriter()
                                        .add("big", std::int64_t {1} << 52)
                                        .add("negative", -7)
                                        .add("fraction", 12.5)
                                        .add("nan", std::numeric_limits<double>::quiet_NaN())
                                        .add("yes", true)
                                        .addRaw("list", "[1,2]")
                                        .str());
        QCOMPARE(o.value(QStringLiteral("big")).toInteger(), qint64(1) << 52);
        QCOMPARE(o.value(QStringLiteral("negative")).toInt(), -7);
        QCOMPARE(o.value(QStringLiteral("fraction")).toDouble(), 12.5);
        QVERIFY(o.value(QStringLiteral("nan")).isNull());
        QCOMPARE(o.value(QStringLiteral("yes")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("list")).toArray().size(), 2);
    }

    void eventCarriesItsFacts()
    {
        Event e;
        e.kind = EventKind::Write;
        e.pid = 4242;
        e.fd = 4;
        e.inode = 987654;
        e.requested = 4096;
        e.result = -1;
        e.err = EPIPE;
        e.timeNs = 1'500;
        e.setText("\xff\xfe binary");
        const QJsonObject o = parse(EventJson::toJson(e, 1'000, "writer"));
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("write"));
        QCOMPARE(o.value(QStringLiteral("t_ns")).toInteger(), 500);
        QCOMPARE(o.value(QStringLiteral("pid")).toInt(), 4242);
        QCOMPARE(o.value(QStringLiteral("role")).toString(), QStringLiteral("writer"));
        QCOMPARE(o.value(QStringLiteral("inode")).toInteger(), 987654);
        QCOMPARE(o.value(QStringLiteral("errno_name")).toString(), QStringLiteral("EPIPE"));
        QVERIFY(o.value(QStringLiteral("broken_pipe")).toBool());
        QVERIFY(o.value(QStringLiteral("text")).toString().endsWith(QStringLiteral(" binary")));
    }

    void chromeTraceIsOneDocument()
    {
        RunState state;
        ChromeTrace trace;
        Event started;
        started.kind = EventKind::RunStarted;
        started.pid = 100;
        started.timeNs = 1'000'000;
        started.setText("simple");
        Event pipe;
        pipe.kind = EventKind::PipeCreated;
        pipe.pid = 101;
        pipe.inode = 55;
        pipe.startNs = 1'100'000;
        pipe.timeNs = 1'200'000;
        Event write = pipe;
        write.kind = EventKind::Write;
        write.fd = 4;
        write.result = 12;
        for (const Event &e : {started, pipe, write}) {
            state.apply(e);
            trace.add(e, state);
        }
        const QJsonObject doc = parse(trace.toJson());
        const QJsonArray events = doc.value(QStringLiteral("traceEvents")).toArray();
        QVERIFY(events.size() >= 4);
        bool counted = false;
        for (const QJsonValue &v : events) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("ph")).toString() == QLatin1String("C")
                && o.value(QStringLiteral("args")).toObject().value(QStringLiteral("bytes")).toInt() == 12)
                counted = true;
            if (o.value(QStringLiteral("ph")).toString() == QLatin1String("X"))
                QCOMPARE(o.value(QStringLiteral("dur")).toDouble(), 100.0); // (1.2 ms - 1.1 ms) in µs
        }
        QVERIFY(counted);
    }
};

QTEST_GUILESS_MAIN(TstExport)
#include "tst_export.moc"
