// The watchdog's clock: only running time without progress counts; a paused
// or stepped run stops the clock, and any progress (an event, a moving pipe
// counter) restarts it. Fed with made-up times, no processes.
#include "core/model/sharedstate.h"
#include "core/run/hangwatch.h"

#include <QtTest>

#include <memory>

using namespace pipescope;

namespace
{

constexpr std::int64_t kMs = 1000000;

HangWatch::Processes blockedTree()
{
    HangWatch::Processes tree;
    for (pid_t pid : {100, 101}) {
        TrackedProcess &t = tree[pid];
        t.pid = pid;
        t.started = true;
        t.blocked = true;
        t.blockedText = "blocked in read(3): pipe empty";
    }
    return tree;
}

} // namespace

class TestHangWatch : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SharedState> m_shared;

private slots:
    void init() { m_shared = std::make_unique<SharedState>(); }

    void firesAfterTheLimitOfRunningTime()
    {
        HangWatch watch;
        watch.setLimitMs(100);
        watch.progress(0);
        const auto tree = blockedTree();
        QVERIFY(!watch.expired(*m_shared, tree, 99 * kMs));
        QVERIFY(watch.expired(*m_shared, tree, 100 * kMs));
    }

    void pausedTimeDoesNotCount()
    {
        HangWatch watch;
        watch.setLimitMs(100);
        watch.progress(0);
        const auto tree = blockedTree();
        watch.setRunning(false, 60 * kMs); // 60 ms ran, then the lecturer paused
        QVERIFY(!watch.expired(*m_shared, tree, 60000 * kMs));
        watch.setRunning(true, 60000 * kMs);
        QCOMPARE(watch.stalledNs(60000 * kMs), 60 * kMs);
        QVERIFY(!watch.expired(*m_shared, tree, 60039 * kMs));
        QVERIFY(watch.expired(*m_shared, tree, 60040 * kMs));
    }

    void progressRestartsTheClock()
    {
        HangWatch watch;
        watch.setLimitMs(100);
        watch.progress(0);
        const auto tree = blockedTree();
        QVERIFY(!watch.expired(*m_shared, tree, 1 * kMs)); // reads the counters once
        watch.progress(90 * kMs);
        QVERIFY(!watch.expired(*m_shared, tree, 189 * kMs));
        // A pipe counter that moves is progress too.
        m_shared->pipeCount.store(1);
        m_shared->pipes[0].written.store(10);
        QVERIFY(!watch.expired(*m_shared, tree, 190 * kMs));
        QVERIFY(!watch.expired(*m_shared, tree, 289 * kMs));
        QVERIFY(watch.expired(*m_shared, tree, 290 * kMs));
    }

    void notAHangWhileOneRuns()
    {
        HangWatch watch;
        watch.setLimitMs(100);
        watch.progress(0);
        auto tree = blockedTree();
        tree[101].blocked = false;
        QVERIFY(!watch.expired(*m_shared, tree, 10000 * kMs));
        QVERIFY(!HangWatch::allLiveBlocked(tree));
        tree[101].exited = true; // the one that ran has exited: the rest hang
        QVERIFY(HangWatch::allLiveBlocked(tree));
        QVERIFY(watch.expired(*m_shared, tree, 10000 * kMs));
    }

    void noLimitNeverFires()
    {
        HangWatch watch;
        watch.progress(0);
        QVERIFY(!watch.expired(*m_shared, blockedTree(), 1000000 * kMs));
    }
};

QTEST_GUILESS_MAIN(TestHangWatch)
#include "tst_hangwatch.moc"
