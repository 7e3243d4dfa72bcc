#pragma once

#include "core/run/procprobe.h"
#include "pitfallrun.h"

#include <QtTest>

#include <sys/wait.h>

namespace pipescope::test
{

/// What every pitfall test checks after a run: the watchdog, and that nothing is
/// left behind. A plain base (no Q_OBJECT): each test class has its own slots.
class PitfallTest : public QObject
{
protected:
    int m_fdsBefore = 0;

    /// Ends the session and checks that the whole tree is gone: no zombie, no process, no fd.
    void checkNothingLeft(PitfallRun &run)
    {
        QVERIFY2(run.finish(20000), "the run did not end in time");
        run.release();
        errno = 0;
        QVERIFY2(waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD, "a child or zombie is left");
        QVERIFY(processGone(run.runnerPid()));
        for (const ProcessInfo &p : run.state().processes())
            QVERIFY2(processGone(p.pid),
                qPrintable(QStringLiteral("%1 (%2) still exists").arg(p.pid).arg(QString::fromStdString(p.role))));
        QCOMPARE(ProcProbe::countOpenFds(), m_fdsBefore);
    }

    /// Watchdog fired with this limit, measured from the last progress, and named what hung.
    void checkWatchdog(PitfallRun &run, int limitMs)
    {
        const int at = run.waitFor(kindIs(EventKind::Watchdog), limitMs + 10000);
        QVERIFY2(at >= 0, "the watchdog never fired");
        const Event &dog = run.events()[static_cast<std::size_t>(at)];
        QCOMPARE(dog.requested, std::int64_t {limitMs});
        const std::int64_t quietMs = (dog.timeNs - run.lastTraceeEventNs()) / 1000000;
        QVERIFY2(quietMs >= limitMs, qPrintable(QStringLiteral("fired after %1 ms").arg(quietMs)));
        QVERIFY2(quietMs <= limitMs + 1000, qPrintable(QStringLiteral("fired after %1 ms").arg(quietMs)));
        QVERIFY(run.finish(10000));
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeWatchdog));
        // Every process of the tree was killed. (A parent killed inside waitpid may reap its
        // child on its way out, with no event to tell: checkNothingLeft asks the kernel.)
        for (const ProcessInfo &p : run.state().processes()) {
            QVERIFY2(p.state == ProcessState::Reaped || p.state == ProcessState::Exited, p.role.c_str());
            QVERIFY(WIFSIGNALED(p.status) && WTERMSIG(p.status) == SIGKILL);
        }
    }
};

} // namespace pipescope::test
