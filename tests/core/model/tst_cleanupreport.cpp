// The clean-up report against real runs: who closed each pipe end, the process
// itself or the kernel at exit, as the tutorial's pitfalls make it.
#include "core/model/cleanupreport.h"
#include "runharness.h"

#include <QTest>

#include <sys/wait.h>

#include <algorithm>

using namespace pipescope;

namespace
{

CleanupReport reportOf(
    const std::string &scenario, const std::vector<std::pair<std::string, std::string>> &values, test::RunHarness *run)
{
    RunRequest request;
    request.scenario = scenario;
    request.assignments = values;
    request.mode = RunMode::Free;
    CleanupReport report;
    if (!run->start(request) || !run->finish(30000))
        return report;
    for (const Event &e : run->events())
        report.add(e);
    return report;
}

const CleanupReport::Process *byRole(const CleanupReport &report, const std::string &role)
{
    const auto &all = report.processes();
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto &p) { return p.role == role; });
    return it == all.end() ? nullptr : &*it;
}

} // namespace

class TestCleanupReport : public QObject
{
    Q_OBJECT
private slots:
    /// parent-child closes what it does not use and what it is done with: nothing is left.
    void aCorrectProgramLeavesNothing()
    {
        test::RunHarness run;
        const CleanupReport report = reportOf("parent-child", {}, &run);
        const CleanupReport::Process *parent = byRole(report, "parent");
        const CleanupReport::Process *child = byRole(report, "child");
        QVERIFY(parent && child);
        // Each held both ends of the one pipe (the child by inheritance) and closed both itself.
        QCOMPARE(parent->closedItself, 2);
        QCOMPARE(child->closedItself, 2);
        QVERIFY(parent->exited && child->exited);
        QVERIFY(!report.anythingLeft());
        QVERIFY(report.text().find("left none to the kernel") != std::string::npos);
    }

    /// A socket pair's ends are socket ends, a FIFO's FIFO ends, a pipe's pipe ends: the
    /// report names each for what the kernel says it is.
    void endsAreNamedForWhatTheyAre_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("ends");
        QTest::newRow("socketpair") << QStringLiteral("socketpair") << QStringLiteral("socket end");
        QTest::newRow("fifo") << QStringLiteral("fifo") << QStringLiteral("FIFO end");
        QTest::newRow("parent-child") << QStringLiteral("parent-child") << QStringLiteral("pipe end");
    }
    void endsAreNamedForWhatTheyAre()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, ends);
        test::RunHarness run;
        const CleanupReport report = reportOf(scenario.toStdString(), {}, &run);
        const std::string text = report.text();
        const std::string noun = ends.toStdString();
        QVERIFY2(text.rfind("clean-up (" + noun + "s above fd 2;", 0) == 0, text.c_str());
        // Every process that closed an end says which kind; no other kind is named.
        int closing = 0;
        for (const auto &p : report.processes()) {
            if (p.closedItself == 0)
                continue;
            ++closing;
            const std::string line = CleanupReport::line(p);
            QVERIFY2(line.find(" " + noun) != std::string::npos, line.c_str());
        }
        QVERIFY(closing >= 2); // both sides closed their ends
        for (const char *other : {"pipe end", "FIFO end", "socket end"})
            if (noun != other)
                QVERIFY2(text.find(other) == std::string::npos, text.c_str());
        QVERIFY(!report.anythingLeft());
    }

    /// A socket end left to the kernel is named a socket, a FIFO end a fifo.
    void endNounsNameEachKind()
    {
        const auto bit = [](ChannelKind k) { return 1u << static_cast<unsigned>(k); };
        QCOMPARE(CleanupReport::endNoun(0), std::string("pipe end"));
        QCOMPARE(CleanupReport::endNoun(bit(ChannelKind::Socket)), std::string("socket end"));
        QCOMPARE(CleanupReport::endNoun(bit(ChannelKind::Pipe) | bit(ChannelKind::Socket)),
            std::string("pipe and socket end"));
        QCOMPARE(CleanupReport::endNoun(bit(ChannelKind::Pipe) | bit(ChannelKind::Fifo) | bit(ChannelKind::Socket)),
            std::string("pipe, FIFO and socket end"));
    }

    /// no-close-eof: the parent keeps its write end, the child never sees EOF, the watchdog
    /// kills both, and the kernel closes the ends each still held.
    void theHangLeavesTheEndsToTheKernel()
    {
        test::RunHarness run;
        const CleanupReport report = reportOf("no-close-eof", {{"watchdog-ms", "1000"}}, &run);
        const CleanupReport::Process *parent = byRole(report, "parent");
        const CleanupReport::Process *child = byRole(report, "child");
        QVERIFY(parent && child);
        QVERIFY(report.anythingLeft());
        QCOMPARE(parent->leftToKernel.size(), std::size_t(1));
        QVERIFY(parent->leftToKernel[0].end.writeEnd); // the end that keeps the child waiting
        QCOMPARE(child->leftToKernel.size(), std::size_t(1));
        QVERIFY(!child->leftToKernel[0].end.writeEnd);
        QVERIFY(WIFSIGNALED(parent->status) && WTERMSIG(parent->status) == SIGKILL);
        QVERIFY(CleanupReport::line(*parent).find("killed by SIGKILL") != std::string::npos);
        // Both ends of one pipe, as the kernel knows it.
        QCOMPARE(parent->leftToKernel[0].end.inode, child->leftToKernel[0].end.inode);
    }

    /// The same lesson, fixed: the parent closes its write end, so nothing is left.
    void theFixLeavesNothing()
    {
        test::RunHarness run;
        const CleanupReport report = reportOf("no-close-eof", {{"fixed", "true"}}, &run);
        QVERIFY(byRole(report, "parent"));
        QVERIFY(!report.anythingLeft());
    }

    /// subprocess: the child's exec closes its close-on-exec ends; cat is traced, so its own
    /// closes are counted and nothing is left unseen.
    void anExecClosesTheCloexecEnds()
    {
        test::RunHarness run;
        const CleanupReport report = reportOf("subprocess", {}, &run);
        const auto &all = report.processes();
        const auto child = std::find_if(all.begin(), all.end(), [](const auto &p) { return p.closedAtExec > 0; });
        QVERIFY(child != all.end());
        QVERIFY(!child->unobserved);
        QCOMPARE(child->closedAtExec, 1); // the exec-status pipe's write end
        QVERIFY(child->closedItself >= 5); // its own closes before the exec, and cat's of fd 0 and 1
        QVERIFY(CleanupReport::line(*child).find("at exec (close-on-exec)") != std::string::npos);
        QVERIFY(!report.anythingLeft());
    }

    /// Where the program cannot be traced (here: told so), it is said to be unobserved.
    void anUntracedProgramIsSaidToBeUnseen()
    {
        qputenv("PIPESCOPE_UNTRACED_EXECS", "1");
        test::RunHarness run;
        const CleanupReport report = reportOf("subprocess", {}, &run);
        qunsetenv("PIPESCOPE_UNTRACED_EXECS");
        const auto &all = report.processes();
        const auto child = std::find_if(all.begin(), all.end(), [](const auto &p) { return p.closedAtExec > 0; });
        QVERIFY(child != all.end());
        QVERIFY(child->unobserved);
        QVERIFY(CleanupReport::line(*child).find("not seen") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCleanupReport)
#include "tst_cleanupreport.moc"
