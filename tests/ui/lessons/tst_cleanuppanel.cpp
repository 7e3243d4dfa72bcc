// The clean-up tab against real runs: the process that forgot a close is named, in red,
// with the end the kernel had to close; a correct run says every end was closed.
#include "core/model/runstate.h"
#include "runharness.h"
#include "ui/lessons/cleanuppanel.h"
#include "ui/lessons/eventlogmodel.h"

#include <QLabel>
#include <QTableWidget>
#include <QTest>

using namespace pipescope;

namespace
{

bool runToEnd(
    test::RunHarness &run, const std::string &scenario, const std::vector<std::pair<std::string, std::string>> &values)
{
    RunRequest request;
    request.scenario = scenario;
    request.assignments = values;
    request.mode = RunMode::Free;
    return run.start(request) && run.finish(30000);
}

int rowOf(const QTableWidget *table, const QString &role)
{
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, CleanupPanel::Process)->text().startsWith(role + QStringLiteral(" (pid ")))
            return row;
    return -1;
}

} // namespace

class TestCleanupPanel : public QObject
{
    Q_OBJECT
private slots:
    void theForgottenEndIsNamedInRed()
    {
        test::RunHarness run;
        QVERIFY(runToEnd(run, "fd-leak-exec", {{"watchdog-ms", "1500"}}));
        CleanupPanel panel;
        panel.resize(900, 360);
        panel.addEvents(QVector<Event>(run.events().begin(), run.events().end()));
        const int parent = rowOf(panel.table(), QStringLiteral("parent"));
        QVERIFY(parent >= 0);
        const QTableWidgetItem *left = panel.table()->item(parent, CleanupPanel::LeftToKernel);
        QVERIFY2(left->text().contains(QStringLiteral("write end")), qPrintable(left->text()));
        QVERIFY(left->font().bold());
        // cat is traced: the leaked write end it never knew of is still its own at the end.
        const int cat = rowOf(panel.table(), QStringLiteral("cat"));
        QVERIFY(cat >= 0);
        const QTableWidgetItem *catLeft = panel.table()->item(cat, CleanupPanel::LeftToKernel);
        QVERIFY2(catLeft->text().contains(QStringLiteral("write end")), qPrintable(catLeft->text()));
        QVERIFY(catLeft->font().bold());
        QVERIFY(panel.verdict().startsWith(QStringLiteral("Some pipe ends were left to the kernel")));
        if (!qEnvironmentVariableIsEmpty("PIPESCOPE_SHOT_DIR"))
            panel.grab().save(qEnvironmentVariable("PIPESCOPE_SHOT_DIR") + QStringLiteral("/cleanup.png"));
        panel.clear();
        QCOMPARE(panel.table()->rowCount(), 0);
    }

    void aCorrectRunClosedEverything()
    {
        test::RunHarness run;
        QVERIFY(runToEnd(run, "parent-child", {}));
        CleanupPanel panel;
        panel.addEvents(QVector<Event>(run.events().begin(), run.events().end()));
        for (const QString role : {QStringLiteral("parent"), QStringLiteral("child")}) {
            const int row = rowOf(panel.table(), role);
            QVERIFY(row >= 0);
            QCOMPARE(panel.table()->item(row, CleanupPanel::ClosedItself)->text(), QStringLiteral("2"));
            QCOMPARE(panel.table()->item(row, CleanupPanel::LeftToKernel)->text(), QStringLiteral("none"));
        }
        QCOMPARE(panel.verdict(), QStringLiteral("Every pipe end was closed by the process that held it."));
    }

    void socketEndsAreNamedForWhatTheyAre()
    {
        // A socket pair: the panel speaks of socket ends, and the log's EOF read says the peer was closed.
        test::RunHarness run;
        QVERIFY(runToEnd(run, "socketpair", {}));
        const QVector<Event> events(run.events().begin(), run.events().end());
        CleanupPanel panel;
        panel.addEvents(events);
        QVERIFY2(panel.verdict().contains(QStringLiteral("socket end")), qPrintable(panel.verdict()));
        QVERIFY2(!panel.verdict().contains(QStringLiteral("pipe end")), qPrintable(panel.verdict()));
        RunState state;
        for (const Event &e : events)
            state.apply(e);
        EventLogModel log;
        log.append(events, state);
        int eofs = 0;
        for (int row = 0; row < log.rowCount(); ++row) {
            const QString call = log.data(log.index(row, EventLogModel::Call), Qt::DisplayRole).toString();
            QVERIFY2(!call.contains(QStringLiteral("write end")), qPrintable(call));
            eofs += call.contains(QStringLiteral("peer socket was closed")) ? 1 : 0;
        }
        QVERIFY(eofs >= 1);
    }
};

QTEST_MAIN(TestCleanupPanel)
#include "tst_cleanuppanel.moc"
