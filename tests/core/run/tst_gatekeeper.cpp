// Where the runner holds a process at its gate: what each run mode releases,
// in which order, and that a Step finding nobody at a gate is not kept for a
// later burst. Plain bookkeeping over the shared futex words, no processes.
#include "core/model/sharedstate.h"
#include "core/run/gatekeeper.h"

#include <QtTest>

#include <memory>

using namespace pipescope;

namespace
{

constexpr std::int64_t kMs = 1000000;

} // namespace

class TestGateKeeper : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SharedState> m_shared;
    GateKeeper m_gates;

    /// Process pid reaches its gate in slot (as Tracee::gate does: word set, then GateWait).
    void arrive(pid_t pid, int slot, std::int64_t nowNs = 0, int paceMs = 0)
    {
        m_shared->processes[slot].held.store(1);
        m_gates.arrived(pid, slot, nowNs, paceMs);
    }
    bool held(int slot) const { return m_shared->processes[slot].held.load() == 1; }

private slots:
    void init()
    {
        m_shared = std::make_unique<SharedState>();
        m_gates = GateKeeper();
        m_gates.attach(m_shared.get());
    }

    void aStepWithNobodyAtAGateIsNotKept()
    {
        QCOMPARE(m_gates.step(1), 0);
        QCOMPARE(m_gates.step(5), 0);
        arrive(100, 1);
        // Nothing left over from the steps above releases it.
        m_gates.releaseDue(RunMode::Step, 0, 0);
        QVERIFY(held(1));
        QCOMPARE(m_gates.step(1), 1);
        QVERIFY(!held(1));
        QVERIFY(m_gates.empty());
    }

    void aStepReleasesOnlyWhoIsThereNow()
    {
        arrive(100, 1);
        // Asked for three, one is at a gate: one is released, two are forgotten.
        QCOMPARE(m_gates.step(3), 1);
        arrive(101, 2);
        m_gates.releaseDue(RunMode::Step, 0, 0);
        QVERIFY(held(2));
    }

    void stepsReleaseOldestFirst()
    {
        arrive(100, 1);
        arrive(101, 2);
        arrive(102, 3);
        QCOMPARE(m_gates.step(1), 1);
        QVERIFY(!held(1));
        QVERIFY(held(2) && held(3));
        QCOMPARE(m_gates.step(2), 2);
        QVERIFY(!held(2) && !held(3));
    }

    void releaseProcessKeepsTheOthersInOrder()
    {
        arrive(100, 1);
        arrive(101, 2);
        arrive(102, 3);
        m_gates.releaseProcess(102);
        QVERIFY(!held(3));
        m_gates.releaseProcess(999); // not at a gate: nothing happens
        QVERIFY(held(1) && held(2));
        QCOMPARE(m_gates.step(1), 1);
        QVERIFY(!held(1));
        QVERIFY(held(2));
    }

    void aGateReleasedElsewhereIsSkipped()
    {
        arrive(100, 1);
        arrive(101, 2);
        m_shared->processes[1].held.store(0); // e.g. released by Free in between
        QCOMPARE(m_gates.step(1), 1);
        QVERIFY(!held(2));
    }

    void pacedReleasesOneEveryPace()
    {
        arrive(100, 1, 0, 50);
        arrive(101, 2, 0, 50);
        m_gates.releaseDue(RunMode::Paced, 50, 49 * kMs);
        QVERIFY(held(1) && held(2));
        m_gates.releaseDue(RunMode::Paced, 50, 50 * kMs);
        QVERIFY(!held(1));
        QVERIFY(held(2));
        QCOMPARE(m_gates.nextPaceNs(), 100 * kMs);
        m_gates.releaseDue(RunMode::Paced, 50, 100 * kMs);
        QVERIFY(!held(2));
    }

    void freeReleasesEveryone()
    {
        arrive(100, 1);
        arrive(101, 2);
        m_gates.releaseDue(RunMode::Free, 0, 0);
        QVERIFY(!held(1) && !held(2));
        QVERIFY(m_gates.empty());
    }

    void aStepThatDidNothingSaysWhy()
    {
        QCOMPARE(QString::fromLatin1(GateKeeper::whyStepDidNothing(true)),
            QStringLiteral("every process is asleep in the kernel; Step cannot wake them"));
        QCOMPARE(QString::fromLatin1(GateKeeper::whyStepDidNothing(false)), QStringLiteral("nobody is at a gate yet"));
    }
};

QTEST_GUILESS_MAIN(TestGateKeeper)
#include "tst_gatekeeper.moc"
