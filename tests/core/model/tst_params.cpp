// Parameter syntax and bounds: every refusal names the parameter and the problem.
#include "core/model/paramspec.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"

#include <QtTest>

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

    void formatSize()
    {
        QCOMPARE(QString::fromStdString(pipescope::formatSize(65536)), QStringLiteral("64K"));
        QCOMPARE(QString::fromStdString(pipescope::formatSize(1 << 30)), QStringLiteral("1G"));
        QCOMPARE(QString::fromStdString(pipescope::formatSize(1000)), QStringLiteral("1000"));
    }

    void resolve_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::newRow("defaults") << "large-transfer"
                                  << ""
                                  << "";
        QTest::newRow("size suffix") << "large-transfer"
                                     << "chunk=64K"
                                     << "";
        QTest::newRow("chunk too big") << "large-transfer"
                                       << "chunk=2M"
                                       << "chunk: '2M' is out of range (1 .. 1M)";
        QTest::newRow("capacity malformed") << "large-transfer"
                                            << "capacity=lots"
                                            << "capacity: 'lots' is not a size";
        QTest::newRow("int bounds") << "select"
                                    << "pipes=0"
                                    << "pipes: '0' is out of range (1 .. 64)";
        QTest::newRow("int max") << "select"
                                 << "pipes=64"
                                 << "";
        QTest::newRow("text too long") << "simple" << QStringLiteral("message=%1").arg(QString(4097, QLatin1Char('a')))
                                       << "message: length 4097 is out of range";
        QTest::newRow("empty message refused") << "simple"
                                               << "message="
                                               << "message: length 0 is out of range";
        QTest::newRow("unknown key") << "simple"
                                     << "size=3"
                                     << "unknown parameter 'size' for scenario 'simple'";
        QTest::newRow("unknown scenario") << "pipes"
                                          << ""
                                          << "unknown scenario 'pipes'";
    }

    void resolve()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, assignment);
        QFETCH(QString, error);
        std::vector<std::pair<std::string, std::string>> assignments;
        if (!assignment.isEmpty()) {
            bool ok = false;
            assignments.push_back(ParamValues::splitAssignment(assignment.toStdString(), &ok));
            QVERIFY(ok);
        }
        const ResolvedScenario r = ScenarioCatalog::resolve(scenario.toStdString(), assignments);
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), r.error.c_str());
            // Defaults are filled in for every parameter.
            for (const ParamSpec &spec : r.scenario->params())
                QVERIFY(r.params.has(spec.name));
        } else {
            QVERIFY(!r.ok());
            QVERIFY2(QString::fromStdString(r.error).startsWith(error), r.error.c_str());
        }
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
