// Parameter syntax and bounds: every refusal names the parameter and the problem.
#include "core/model/paramspec.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"

#include <QtTest>

#include <algorithm>

using namespace pipescope;

class TestParams : public QObject
{
    Q_OBJECT

private slots:
    void parseSize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("plain") << "4096" << true << qint64(4096);
        QTest::newRow("K") << "4K" << true << qint64(4096);
        QTest::newRow("k lower") << "64k" << true << qint64(65536);
        QTest::newRow("M") << "1M" << true << qint64(1048576);
        QTest::newRow("G") << "1G" << true << qint64(1073741824);
        QTest::newRow("zero") << "0" << true << qint64(0);
        QTest::newRow("empty") << "" << false << qint64(0);
        QTest::newRow("suffix only") << "K" << false << qint64(0);
        QTest::newRow("negative") << "-1" << false << qint64(0);
        QTest::newRow("fraction") << "1.5M" << false << qint64(0);
        QTest::newRow("unknown suffix") << "3X" << false << qint64(0);
        QTest::newRow("overflow") << "99999999999G" << false << qint64(0);
        QTest::newRow("space") << "4 K" << false << qint64(0);
        // Issue 13: a size is digits with an optional K/M/G in either case, nothing else.
        QTest::newRow("m lower") << "1m" << true << qint64(1048576);
        QTest::newRow("g lower") << "2g" << true << qint64(2147483648);
        QTest::newRow("leading zero") << "007K" << true << qint64(7168);
        QTest::newRow("plus refused") << "+5" << false << qint64(0);
        QTest::newRow("plus with suffix refused") << "+5K" << false << qint64(0);
        QTest::newRow("minus zero refused") << "-0" << false << qint64(0);
        QTest::newRow("fraction G refused") << "1.5G" << false << qint64(0);
        QTest::newRow("KB refused") << "4KB" << false << qint64(0);
        QTest::newRow("KiB refused") << "4KiB" << false << qint64(0);
        QTest::newRow("leading space refused") << " 4K" << false << qint64(0);
        QTest::newRow("trailing space refused") << "4K " << false << qint64(0);
        QTest::newRow("hex refused") << "0x10" << false << qint64(0);
        QTest::newRow("exponent refused") << "1e3" << false << qint64(0);
        QTest::newRow("largest bytes") << "9223372036854775807" << true << qint64(9223372036854775807LL);
        QTest::newRow("past 63 bits") << "9223372036854775808" << false << qint64(0);
        QTest::newRow("largest G") << "8589934591G" << true << qint64(8589934591LL << 30);
        QTest::newRow("G past 63 bits") << "8589934592G" << false << qint64(0);
    }

    void parseSize()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, bytes);
        const auto parsed = pipescope::parseSize(text.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(static_cast<qint64>(*parsed), bytes);
    }

    void parseInt_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("value");
        QTest::newRow("plain") << "42" << true << qint64(42);
        QTest::newRow("negative") << "-42" << true << qint64(-42);
        QTest::newRow("zero") << "0" << true << qint64(0);
        QTest::newRow("plus refused") << "+5" << false << qint64(0);
        QTest::newRow("plus minus refused") << "+-5" << false << qint64(0);
        QTest::newRow("double minus refused") << "--5" << false << qint64(0);
        QTest::newRow("minus only refused") << "-" << false << qint64(0);
        QTest::newRow("empty refused") << "" << false << qint64(0);
        QTest::newRow("fraction refused") << "1.0" << false << qint64(0);
        QTest::newRow("suffix refused") << "4K" << false << qint64(0);
        QTest::newRow("space refused") << " 4" << false << qint64(0);
        QTest::newRow("overflow refused") << "9223372036854775808" << false << qint64(0);
    }

    void parseInt()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, value);
        const auto parsed = pipescope::parseInt(text.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(static_cast<qint64>(*parsed), value);
    }

    void parseBool_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("value"); // 1 true, 0 false, -1 refused
        // The same eight words in every case: issue 13 found fixed=1 accepted but fixed=TRUE refused.
        for (const char *word : {"true", "yes", "on", "1"}) {
            const QString w = QString::fromLatin1(word);
            QTest::addRow("%s", word) << w << 1;
            QTest::addRow("%s upper", word) << w.toUpper() << 1;
            QTest::addRow("%s capitalised", word) << w.left(1).toUpper() + w.mid(1) << 1;
        }
        for (const char *word : {"false", "no", "off", "0"}) {
            const QString w = QString::fromLatin1(word);
            QTest::addRow("%s", word) << w << 0;
            QTest::addRow("%s upper", word) << w.toUpper() << 0;
            QTest::addRow("%s capitalised", word) << w.left(1).toUpper() + w.mid(1) << 0;
        }
        QTest::newRow("mixed case") << "tRuE" << 1;
        QTest::newRow("empty refused") << "" << -1;
        QTest::newRow("prefix refused") << "tru" << -1;
        QTest::newRow("y refused") << "y" << -1;
        QTest::newRow("2 refused") << "2" << -1;
        QTest::newRow("spaces refused") << " true" << -1;
    }

    void parseBool()
    {
        QFETCH(QString, text);
        QFETCH(int, value);
        const auto parsed = pipescope::parseBool(text.toStdString());
        QCOMPARE(parsed.has_value(), value >= 0);
        if (parsed)
            QCOMPARE(*parsed, value == 1);
    }

    void utf8Problem_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem"); // empty: valid UTF-8
        QTest::newRow("ascii") << QByteArray("hello") << "";
        QTest::newRow("empty") << QByteArray() << "";
        QTest::newRow("two bytes") << QByteArray("caf\xC3\xA9") << "";
        QTest::newRow("three bytes") << QByteArray("\xE2\x82\xAC") << "";
        QTest::newRow("four bytes") << QByteArray("\xF0\x9F\x90\xA7") << "";
        QTest::newRow("U+FFFD itself") << QByteArray("\xEF\xBF\xBD") << "";
        QTest::newRow("U+10FFFF") << QByteArray("\xF4\x8F\xBF\xBF") << "";
        QTest::newRow("latin-1 e acute") << QByteArray("caf\xE9") << "byte 0xE9 at offset 3 is not valid UTF-8";
        QTest::newRow("lone continuation") << QByteArray("a\x80") << "byte 0x80 at offset 1 is not valid UTF-8";
        QTest::newRow("truncated") << QByteArray("ab\xE2\x82") << "byte 0xE2 at offset 2 is not valid UTF-8";
        QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << "byte 0xC0 at offset 0 is not valid UTF-8";
        QTest::newRow("overlong three") << QByteArray("\xE0\x80\xAF") << "byte 0xE0 at offset 0 is not valid UTF-8";
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << "byte 0xED at offset 0 is not valid UTF-8";
        QTest::newRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << "byte 0xF4 at offset 0 is not valid UTF-8";
        QTest::newRow("F5") << QByteArray("\xF5\x80\x80\x80") << "byte 0xF5 at offset 0 is not valid UTF-8";
        QTest::newRow("NUL") << QByteArray("a\0b", 3) << "byte 0x00 at offset 1 is a NUL byte";
    }

    void utf8Problem()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        const auto found = pipescope::utf8Problem(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        QCOMPARE(QString::fromStdString(found.value_or("")), problem);
    }

    void validate_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("error"); // empty: accepted; else the whole one-line message
        const int text = int(ParamType::Text), boolean = int(ParamType::Bool), size = int(ParamType::Size),
                  integer = int(ParamType::Int);
        const QByteArray e = QStringLiteral("\u00e9").toUtf8();
        // Text bounds count bytes, and say so: 4096 'é' are 8192 bytes.
        QTest::newRow("2048 e acute fit") << text << e.repeated(2048) << "";
        QTest::newRow("4096 e acute are 8192 bytes")
            << text << e.repeated(4096) << "p: length 8192 bytes is out of range (1 .. 4096 bytes of UTF-8)";
        QTest::newRow("4097 ascii") << text << QByteArray(4097, 'a')
                                    << "p: length 4097 bytes is out of range (1 .. 4096 bytes of UTF-8)";
        QTest::newRow("text not UTF-8")
            << text << QByteArray("caf\xE9")
            << "p: byte 0xE9 at offset 3 is not valid UTF-8; parameter values take UTF-8 only";
        QTest::newRow("text U+FFFD is text") << text << QByteArray("\xEF\xBF\xBD") << "";
        QTest::newRow("text with newline") << text << QByteArray("two\nlines") << "";
        QTest::newRow("bool TRUE") << boolean << QByteArray("TRUE") << "";
        QTest::newRow("bool Off") << boolean << QByteArray("Off") << "";
        QTest::newRow("bool maybe") << boolean << QByteArray("maybe")
                                    << "p: 'maybe' is not a boolean (true/false, yes/no, on/off or 1/0, in any case)";
        QTest::newRow("size 1m") << size << QByteArray("1m") << "";
        QTest::newRow("size +5") << size << QByteArray("+5")
                                 << "p: '+5' is not a size (whole bytes, or a whole number with K, M or G; no sign "
                                    "or fraction)";
        QTest::newRow("size 1.5G") << size << QByteArray("1.5G")
                                   << "p: '1.5G' is not a size (whole bytes, or a whole number with K, M or G; no "
                                      "sign or fraction)";
        QTest::newRow("size not UTF-8 not echoed")
            << size << QByteArray("1\xFF")
            << "p: the value is not a size (whole bytes, or a whole number with K, M or G; no sign or fraction)";
        QTest::newRow("int newline escaped")
            << integer << QByteArray("1\n2")
            << "p: '1\\x0A2' is not a whole number (decimal digits, optionally after '-')";
        QTest::newRow("int +5") << integer << QByteArray("+5")
                                << "p: '+5' is not a whole number (decimal digits, optionally after '-')";
    }

    void validate()
    {
        QFETCH(int, type);
        QFETCH(QByteArray, value);
        QFETCH(QString, error);
        ParamSpec spec {"p", ParamType(type), "", 1, 4096, ""};
        if (spec.type == ParamType::Size)
            spec.max = std::int64_t {1} << 30;
        const auto problem = spec.validate(std::string_view(value.constData(), std::size_t(value.size())));
        QCOMPARE(QString::fromStdString(problem.value_or("")), error);
        // Every refusal is one line of valid UTF-8, whatever the value held.
        if (problem) {
            QVERIFY(problem->find('\n') == std::string::npos);
            QVERIFY(!pipescope::utf8Problem(*problem));
        }
    }

    void formatSize()
    {
        QCOMPARE(QString::fromStdString(pipescope::formatSize(65536)), QStringLiteral("64K"));
        QCOMPARE(QString::fromStdString(pipescope::formatSize(1 << 30)), QStringLiteral("1G"));
        QCOMPARE(QString::fromStdString(pipescope::formatSize(1000)), QStringLiteral("1000"));
    }

    void resolve_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QStringList>("assignments");
        QTest::addColumn<QString>("error"); // empty: accepted; else how the message starts
        const auto set = [](std::initializer_list<const char *> list) {
            QStringList out;
            for (const char *a : list)
                out << QString::fromUtf8(a);
            return out;
        };
        QTest::newRow("defaults") << "large-transfer" << set({}) << "";
        QTest::newRow("size suffix") << "large-transfer" << set({"chunk=64K"}) << "";
        QTest::newRow("chunk too big") << "large-transfer" << set({"chunk=2M"})
                                       << "chunk: '2M' is out of range (1 .. 1M)";
        QTest::newRow("capacity malformed")
            << "large-transfer" << set({"capacity=lots"}) << "capacity: 'lots' is not a size";
        QTest::newRow("int bounds") << "select" << set({"pipes=0"}) << "pipes: '0' is out of range (1 .. 64)";
        QTest::newRow("int max") << "select" << set({"pipes=64"}) << "";
        QTest::newRow("text too long")
            << "simple" << QStringList {QStringLiteral("message=%1").arg(QString(4097, QLatin1Char('a')))}
            << "message: length 4097 bytes is out of range (1 .. 4096 bytes";
        QTest::newRow("empty message refused")
            << "simple" << set({"message="}) << "message: length 0 bytes is out of range";
        QTest::newRow("unknown key") << "simple" << set({"size=3"}) << "unknown parameter 'size' for scenario 'simple'";
        QTest::newRow("unknown key stays one line")
            << "simple" << set({"a\nb=1"}) << "unknown parameter 'a\\x0Ab' for scenario 'simple'";
        QTest::newRow("unknown scenario") << "pipes" << set({}) << "unknown scenario 'pipes'";
        // Issue 13, section 3.
        QTest::newRow("size lower m") << "large-transfer" << set({"total=1m"}) << "";
        QTest::newRow("size plus refused") << "large-transfer" << set({"total=+5"}) << "total: '+5' is not a size";
        QTest::newRow("size fraction refused")
            << "large-transfer" << set({"total=1.5G"}) << "total: '1.5G' is not a size";
        QTest::newRow("bool 1") << "zombie" << set({"fixed=1"}) << "";
        QTest::newRow("bool TRUE") << "zombie" << set({"fixed=TRUE"}) << "";
        QTest::newRow("bool Yes") << "capacity" << set({"fixed=Yes"}) << "";
        QTest::newRow("duplicate refused")
            << "large-transfer" << set({"total=1M", "total=2M"}) << "parameter 'total' is set more than once";
        QTest::newRow("duplicate same value refused")
            << "simple" << set({"message=a", "message=a"}) << "parameter 'message' is set more than once";
        QTest::newRow("duplicate after others refused") << "capacity" << set({"fixed=true", "chunk=1K", "fixed=false"})
                                                        << "parameter 'fixed' is set more than once";
        QTest::newRow("4096 e acute is 8192 bytes")
            << "simple" << QStringList {QStringLiteral("message=") + QString(4096, QChar(0xE9))}
            << "message: length 8192 bytes is out of range (1 .. 4096 bytes";
        QTest::newRow("2048 e acute fit")
            << "simple" << QStringList {QStringLiteral("message=") + QString(2048, QChar(0xE9))} << "";
        QTest::newRow("zombie rule") << "zombie" << set({"zombie-ms=5000"})
                                     << "zombie-ms: 5000 must be less than watchdog-ms (5000)";
        QTest::newRow("zombie rule fixed") << "zombie" << set({"zombie-ms=5000", "fixed=on"}) << "";
        QTest::newRow("capacity rule") << "capacity" << set({"reader-delay-ms=6000"})
                                       << "reader-delay-ms: 6000 must be less than watchdog-ms (5000)";
        QTest::newRow("select rule") << "select" << set({"pipes=2", "written=3"})
                                     << "written: 3 is more than pipes (2)";
    }

    void resolve()
    {
        QFETCH(QString, scenario);
        QFETCH(QStringList, assignments);
        QFETCH(QString, error);
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const QString &assignment : std::as_const(assignments)) {
            bool ok = false;
            pairs.push_back(ParamValues::splitAssignment(assignment.toStdString(), &ok));
            QVERIFY(ok);
        }
        const ResolvedScenario r = ScenarioCatalog::resolve(scenario.toStdString(), pairs);
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), r.error.c_str());
            // Defaults are filled in for every parameter.
            for (const ParamSpec &spec : r.scenario->params())
                QVERIFY(r.params.has(spec.name));
        } else {
            QVERIFY(!r.ok());
            QVERIFY2(QString::fromStdString(r.error).startsWith(error), r.error.c_str());
            QVERIFY(r.error.find('\n') == std::string::npos);
        }
    }

    void nonUtf8TextRefusedByResolve()
    {
        // What the GUI's --set and every other caller of resolve get: refused, never replaced by U+FFFD.
        const ResolvedScenario r = ScenarioCatalog::resolve("simple", {{"message", "caf\xE9"}});
        QCOMPARE(QString::fromStdString(r.error),
            QStringLiteral("message: byte 0xE9 at offset 3 is not valid UTF-8; parameter values take UTF-8 only"));
    }

    void crossParameterRulesAreStated_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QStringList>("assignments"); // breaks the rule
        QTest::addColumn<QStringList>("keys"); // the parameters the stated rule names
        QTest::newRow("zombie") << "zombie" << QStringList {QStringLiteral("zombie-ms=6000")}
                                << QStringList {QStringLiteral("zombie-ms"), QStringLiteral("watchdog-ms")};
        QTest::newRow("capacity") << "capacity" << QStringList {QStringLiteral("reader-delay-ms=5000")}
                                  << QStringList {QStringLiteral("reader-delay-ms"), QStringLiteral("watchdog-ms")};
        QTest::newRow("select") << "select" << QStringList {QStringLiteral("written=5")}
                                << QStringList {QStringLiteral("written"), QStringLiteral("pipes")};
    }

    void crossParameterRulesAreStated()
    {
        // A combination refused by checkCombination is one the scenario states as a rule beforehand.
        QFETCH(QString, scenario);
        QFETCH(QStringList, assignments);
        QFETCH(QStringList, keys);
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const QString &assignment : std::as_const(assignments)) {
            bool ok = false;
            pairs.push_back(ParamValues::splitAssignment(assignment.toStdString(), &ok));
        }
        const ResolvedScenario r = ScenarioCatalog::resolve(scenario.toStdString(), pairs);
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error).startsWith(keys.first() + QLatin1Char(':')), r.error.c_str());
        bool stated = false;
        for (const std::string &rule : r.scenario->rules()) {
            const QString text = QString::fromStdString(rule);
            stated |= std::all_of(keys.begin(), keys.end(), [&](const QString &k) { return text.contains(k); });
        }
        QVERIFY(stated);
    }

    void everyDefaultIsValid()
    {
        QVERIFY(ScenarioCatalog::all().size() >= 7);
        for (const Scenario *s : ScenarioCatalog::all()) {
            for (const ParamSpec &spec : s->params()) {
                const auto problem = spec.validate(spec.defaultValue);
                QVERIFY2(!problem, (std::string(s->name()) + ": " + problem.value_or("")).c_str());
            }
        }
    }

    void splitAssignment()
    {
        bool ok = true;
        ParamValues::splitAssignment("novalue", &ok);
        QVERIFY(!ok);
        ParamValues::splitAssignment("=x", &ok);
        QVERIFY(!ok);
        const auto kv = ParamValues::splitAssignment("message=a=b", &ok);
        QVERIFY(ok);
        QCOMPARE(kv.second, std::string("a=b"));
    }
};

QTEST_GUILESS_MAIN(TestParams)
#include "tst_params.moc"
