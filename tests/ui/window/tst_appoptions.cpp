// The GUI's command line: good input parses, bad input gives one clear line.
#include "ui/window/appoptions.h"

#include <QProcess>
#include <QTest>

#include <unistd.h>

using pipescope::AppOptions;

class TestAppOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void presenterAndExports();
    void fdTables();
    void listingLanguage();
    void ownPrograms_data();
    void ownPrograms();
    void attachToARunningProcess();
};

void TestAppOptions::parse_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("errorPart");
    const QString p = QStringLiteral("pipescope");
    QTest::addRow("nothing") << QStringList {p} << true << QString();
    QTest::addRow("full") << QStringList {p, QStringLiteral("--scenario"), QStringLiteral("select"),
        QStringLiteral("--set"), QStringLiteral("pipes=16"), QStringLiteral("--run"), QStringLiteral("--pace"),
        QStringLiteral("50"), QStringLiteral("--screenshot"), QStringLiteral("/tmp/x.png"),
        QStringLiteral("--quit-after-ms"), QStringLiteral("1000")}
                          << true << QString();
    QTest::addRow("unknown scenario") << QStringList {p, QStringLiteral("--scenario"), QStringLiteral("nope")} << false
                                      << QStringLiteral("nope");
    QTest::addRow("out of range") << QStringList {p, QStringLiteral("--scenario"), QStringLiteral("select"),
        QStringLiteral("--set"), QStringLiteral("pipes=65")}
                                  << false << QStringLiteral("pipes");
    QTest::addRow("no equals") << QStringList {p, QStringLiteral("--scenario"), QStringLiteral("select"),
        QStringLiteral("--set"), QStringLiteral("pipes")}
                               << false << QStringLiteral("key=value");
    QTest::addRow("set without scenario")
        << QStringList {p, QStringLiteral("--set"), QStringLiteral("a=1")} << false << QStringLiteral("--scenario");
    QTest::addRow("bad pace") << QStringList {p, QStringLiteral("--pace"), QStringLiteral("fast")} << false
                              << QStringLiteral("--pace");
    QTest::addRow("bad quit") << QStringList {p, QStringLiteral("--quit-after-ms"), QStringLiteral("-5")} << false
                              << QStringLiteral("--quit-after-ms");
    QTest::addRow("not png") << QStringList {p, QStringLiteral("--screenshot"), QStringLiteral("a.jpg")} << false
                             << QStringLiteral(".png");
    QTest::addRow("unknown option") << QStringList {p, QStringLiteral("--frobnicate")} << false
                                    << QStringLiteral("frobnicate");
    QTest::addRow("export without run") << QStringList {p, QStringLiteral("--export-svg"), QStringLiteral("a.svg")}
                                        << false << QStringLiteral("--run");
    QTest::addRow("export wrong extension")
        << QStringList {p, QStringLiteral("--run"), QStringLiteral("--export-trace"), QStringLiteral("t.txt")} << false
        << QStringLiteral(".json");
    QTest::addRow("stray argument") << QStringList {p, QStringLiteral("simple")} << false << QStringLiteral("simple");
    QTest::addRow("bad listing") << QStringList {p, QStringLiteral("--listing"), QStringLiteral("rust")} << false
                                 << QStringLiteral("'rust' is not a listing language (c or python)");
    QTest::addRow("report geometry never printed")
        << QStringList {p, QStringLiteral("--report-geometry")} << false << QStringLiteral("--quit-after-ms");
}

void TestAppOptions::presenterAndExports()
{
    QString error;
    const auto o = AppOptions::parse(
        {QStringLiteral("pipescope"), QStringLiteral("--presenter"), QStringLiteral("--run"),
            QStringLiteral("--export-trace"), QStringLiteral("t.json"), QStringLiteral("--export-svg"),
            QStringLiteral("s.svg"), QStringLiteral("--export-log"), QStringLiteral("l.txt")},
        &error);
    QVERIFY2(o, qPrintable(error));
    QVERIFY(o->presenter);
    QCOMPARE(o->exportTrace, QStringLiteral("t.json"));
    QCOMPARE(o->exportSvg, QStringLiteral("s.svg"));
    QCOMPARE(o->exportLog, QStringLiteral("l.txt"));
    QVERIFY(o->scripted());
    const auto help = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--help")}, &error);
    QVERIFY(help && help->helpText.contains(QStringLiteral("--presenter")));
    QVERIFY(help->helpText.contains(QStringLiteral("--compare")));
    QVERIFY(!o->compare);
    const auto compare = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--compare")}, &error);
    QVERIFY2(compare && compare->compare, qPrintable(error));
    const auto report = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--report-geometry"),
                                              QStringLiteral("--quit-after-ms"), QStringLiteral("500")},
        &error);
    QVERIFY2(report && report->reportGeometry, qPrintable(error));
    QVERIFY(!o->reportGeometry);
}

void TestAppOptions::fdTables()
{
    QString error;
    const auto plain = AppOptions::parse({QStringLiteral("pipescope")}, &error);
    QVERIFY2(plain, qPrintable(error));
    QVERIFY(!plain->fdTables);
    const auto o
        = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--scenario"), QStringLiteral("no-close-eof"),
                                QStringLiteral("--fd-tables"), QStringLiteral("--run"), QStringLiteral("--screenshot"),
                                QStringLiteral("f.png")},
            &error);
    QVERIFY2(o, qPrintable(error));
    QVERIFY(o->fdTables);
    QVERIFY(o->run);
    QVERIFY(o->scripted());
    const auto help = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--help")}, &error);
    QVERIFY(help && help->helpText.contains(QStringLiteral("--fd-tables")));
    QVERIFY(!AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--fd-tables=yes")}, &error));
}

// --listing python|c picks the code view's language; without it the settings' choice stands.
void TestAppOptions::listingLanguage()
{
    using pipescope::ListingLanguage;
    QString error;
    const auto plain = AppOptions::parse({QStringLiteral("pipescope")}, &error);
    QVERIFY2(plain, qPrintable(error));
    QVERIFY(!plain->listing);
    const auto python = AppOptions::parse(
        {QStringLiteral("pipescope"), QStringLiteral("--listing"), QStringLiteral("python")}, &error);
    QVERIFY2(python && python->listing == ListingLanguage::Python, qPrintable(error));
    const auto c = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--listing=C")}, &error);
    QVERIFY2(c && c->listing == ListingLanguage::C, qPrintable(error));
    QVERIFY(!AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--listing")}, &error));
    const auto help = AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--help")}, &error);
    QVERIFY(help && help->helpText.contains(QStringLiteral("--listing")));
}

void TestAppOptions::parse()
{
    QFETCH(QStringList, args);
    QFETCH(bool, ok);
    QFETCH(QString, errorPart);
    QString error;
    const auto options = AppOptions::parse(args, &error);
    QCOMPARE(options.has_value(), ok);
    if (!ok) {
        QVERIFY2(error.contains(errorPart), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
    } else if (args.size() > 1) {
        QCOMPARE(options->scenario, QStringLiteral("select"));
        QCOMPARE(options->assignments, QStringList {QStringLiteral("pipes=16")});
        QVERIFY(options->run);
        QCOMPARE(options->paceMs, 50);
        QCOMPARE(options->quitAfterMs, 1000);
        QVERIFY(options->scripted());
    }
}

void TestAppOptions::ownPrograms_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("errorPart"); // empty: it parses
    const QString p = QStringLiteral("pipescope");
    const QString dd = QStringLiteral("--");
    const QString sh = QStringLiteral("sh");
    const QString c = QStringLiteral("-c");
    const QString line = QStringLiteral("echo hi | cat");
    QTest::addRow("watch a command") << QStringList {p, QStringLiteral("--watch"), dd, sh, c, line} << QString();
    QTest::addRow("watch with a screenshot")
        << QStringList {p, QStringLiteral("--watch"), QStringLiteral("--screenshot"), QStringLiteral("w.png"),
               QStringLiteral("--quit-after-ms"), QStringLiteral("5000"), dd, sh, c, line}
        << QString();
    QTest::addRow("watch without command")
        << QStringList {p, QStringLiteral("--watch")} << QStringLiteral("--watch needs a command");
    QTest::addRow("watch with pace") << QStringList {p, QStringLiteral("--watch"), QStringLiteral("--pace"),
        QStringLiteral("100"), dd, sh, c, line}
                                     << QStringLiteral("never slowed down");
    QTest::addRow("watch my own parent") << QStringList {p, QStringLiteral("--watch-pid"), QString::number(getppid())}
                                         << QString();
    QTest::addRow("watch pid 1") << QStringList {p, QStringLiteral("--watch-pid"), QStringLiteral("1")}
                                 << QStringLiteral("--watch-pid");
    QTest::addRow("watch no such pid") << QStringList {p, QStringLiteral("--watch-pid"), QStringLiteral("4000000")}
                                       << QStringLiteral("no process");
    QTest::addRow("watch pid not a number")
        << QStringList {p, QStringLiteral("--watch-pid"), QStringLiteral("abc")} << QStringLiteral("not a process id");
    QTest::addRow("watch pid and a program") << QStringList {p, QStringLiteral("--watch-pid"),
        QString::number(getppid()), dd, sh} << QStringLiteral("no program");
    QTest::addRow("trace") << QStringList {p, dd, sh, c, line} << QString();
    QTest::addRow("trace with run and pace")
        << QStringList {p, QStringLiteral("--run"), QStringLiteral("--pace"), QStringLiteral("200"), dd, sh, c, line}
        << QString();
    QTest::addRow("trace a program that is not there")
        << QStringList {p, dd, QStringLiteral("no-such-program-xyz")}
        << QStringLiteral("cannot run 'no-such-program-xyz': No such file or directory");
    QTest::addRow("trace with a scenario") << QStringList {p, QStringLiteral("--scenario"), QStringLiteral("select"),
        dd, sh} << QStringLiteral("--scenario is about a scenario");
    QTest::addRow("nothing after dashes") << QStringList {p, dd} << QStringLiteral("nothing after --");
    QTest::addRow("exports without run") << QStringList {p, QStringLiteral("--export-log"), QStringLiteral("l.txt"), dd,
        sh, c, line} << QString();
    const QString attach = QStringLiteral("--attach");
    QTest::addRow("attach my own parent") << QStringList {p, attach, QString::number(getppid())}
                                          << QStringLiteral("PipeScope itself or one of its parents");
    QTest::addRow("attach pid 1") << QStringList {p, attach, QStringLiteral("1")}
                                  << QStringLiteral("--attach: 1 is init");
    QTest::addRow("attach not a number") << QStringList {p, attach, QStringLiteral("12x")}
                                         << QStringLiteral("--attach: '12x' is not a process id");
    QTest::addRow("attach and a program")
        << QStringList {p, attach, QStringLiteral("4242"), dd, sh} << QStringLiteral("no program after --");
}

void TestAppOptions::attachToARunningProcess()
{
    QProcess sleeper;
    sleeper.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    QVERIFY(sleeper.waitForStarted());
    const QString pid = QString::number(sleeper.processId());
    QString error;
    const auto o = AppOptions::parse(
        {QStringLiteral("pipescope"), QStringLiteral("--attach"), pid, QStringLiteral("--pace"), QStringLiteral("300")},
        &error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(o->attachPid, sleeper.processId());
    QCOMPARE(o->paceMs, 300); // a traced process can be slowed down
    QVERIFY(o->ownProgram());
    QVERIFY(!AppOptions::parse({QStringLiteral("pipescope"), QStringLiteral("--attach"), pid,
                                   QStringLiteral("--scenario"), QStringLiteral("select")},
        &error));
    QVERIFY2(error.contains(QLatin1String("--scenario is about a scenario, not a traced program")), qPrintable(error));
    sleeper.kill();
    QVERIFY(sleeper.waitForFinished());
}

void TestAppOptions::ownPrograms()
{
    QFETCH(QStringList, args);
    QFETCH(QString, errorPart);
    QString error;
    const auto o = AppOptions::parse(args, &error);
    if (!errorPart.isEmpty()) {
        QVERIFY(!o);
        QVERIFY2(error.contains(errorPart), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        return;
    }
    QVERIFY2(o, qPrintable(error));
    QVERIFY(o->ownProgram());
    const qsizetype dd = args.indexOf(QStringLiteral("--"));
    const QStringList program = dd > 0 ? args.mid(dd + 1) : QStringList();
    if (args.contains(QStringLiteral("--watch"))) {
        QCOMPARE(o->watchCommand, program);
        QVERIFY(o->traceProgram.isEmpty());
    } else if (args.contains(QStringLiteral("--watch-pid"))) {
        QCOMPARE(o->watchPid, static_cast<qint64>(getppid()));
        QVERIFY(o->watchCommand.isEmpty() && o->traceProgram.isEmpty());
    } else {
        QCOMPARE(o->traceProgram, program); // -c stays the program's, not ours
        QVERIFY(o->watchCommand.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestAppOptions)
#include "tst_appoptions.moc"
