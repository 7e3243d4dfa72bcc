// ProcHandle (core/watch): /proc files kept open between samples and read
// again from their start show the process as it is now; fd links are read
// only for new fd numbers unless asked to verify; a handle stays bound to its
// process, so after that process is reaped it answers nothing; nothing leaks.
#include "core/run/procprobe.h"
#include "core/watch/holderscan.h"
#include "core/watch/prochandle.h"

#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

using namespace pipescope;

namespace
{

const FdLink *linkOf(const std::vector<FdLink> &links, int fd)
{
    const auto it = std::find_if(links.begin(), links.end(), [&](const FdLink &l) { return l.fd == fd; });
    return it == links.end() ? nullptr : &*it;
}

} // namespace

class TstProcHandle : public QObject
{
    Q_OBJECT

private slots:
    void readsAgainWhatChanged()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        const int keptBefore = ProcHandle::keptFiles();
        {
            ProcHandle self(getpid());
            std::uint64_t r0 = 0, w0 = 0, r1 = 0, w1 = 0;
            QVERIFY(self.io(&r0, &w0));
            QVERIFY(self.stat());
            QVERIFY(ProcHandle::keptFiles() > keptBefore); // stat and io stay open
            int p[2];
            QCOMPARE(pipe(p), 0);
            QCOMPARE(write(p[1], "12345", 5), 5);
            // The same open file, read again: the count moved.
            QVERIFY(self.io(&r1, &w1));
            QVERIFY(w1 >= w0 + 5);

            // A new fd number is seen at the next listing.
            const std::vector<FdLink> first = self.fds(false);
            const FdLink *end = linkOf(first, p[0]);
            QVERIFY(end && end->pipeInode);
            const std::uint64_t firstPipe = end->pipeInode;
            // Another pipe dup2'd onto the same number: the cheap listing keeps the
            // link it knew, a verifying one reads it again.
            int q[2];
            QCOMPARE(pipe(q), 0);
            QCOMPARE(dup2(q[0], p[0]), p[0]);
            QCOMPARE(linkOf(self.fds(false), p[0])->pipeInode, firstPipe);
            const FdLink *now = linkOf(self.fds(true), p[0]);
            QVERIFY(now && now->pipeInode && now->pipeInode != firstPipe);
            // A closed fd is gone from the next listing.
            close(q[1]);
            QVERIFY(!linkOf(self.fds(false), q[1]));
            for (const int fd : {p[0], p[1], q[0]})
                close(fd);
        }
        QCOMPARE(ProcHandle::keptFiles(), keptBefore);
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }

    void staysBoundToItsProcess()
    {
        const pid_t child = fork();
        if (child == 0) {
            pause();
            _exit(0);
        }
        QVERIFY(child > 0);
        ProcHandle handle(child);
        const auto s = handle.stat();
        QVERIFY(s);
        QVERIFY(handle.pidfd() >= 0);
        kill(child, SIGKILL);
        QCOMPARE(waitpid(child, nullptr, 0), child);
        // Reaped: its kept files answer nothing, whoever gets its pid next.
        QVERIFY(!handle.stat());
        QVERIFY(handle.fds(true).empty());
    }

    void holderScanFindsWhoHoldsAPipe()
    {
        // A child that holds the read end of a pipe of ours: the scan finds it by
        // the pipe's inode, and again on the next scan from what it learnt.
        int p[2];
        QCOMPARE(pipe2(p, O_CLOEXEC), 0);
        const pid_t child = fork();
        if (child == 0) {
            pause();
            _exit(0);
        }
        QVERIFY(child > 0);
        close(p[0]);
        const auto self = ProcHandle(getpid()).fds(true);
        const FdLink *end = linkOf(self, p[1]);
        QVERIFY(end && end->pipeInode);
        HolderScan scan(3);
        const auto skip = [](pid_t pid) { return pid == getpid(); };
        for (int i = 0; i < 4; ++i) {
            const std::vector<pid_t> found = scan.find({end->pipeInode}, -1, skip);
            QCOMPARE(found, std::vector<pid_t> {child});
        }
        kill(child, SIGKILL);
        QCOMPARE(waitpid(child, nullptr, 0), child);
        QVERIFY(scan.find({end->pipeInode}, -1, skip).empty());
        close(p[1]);
    }
};

QTEST_GUILESS_MAIN(TstProcHandle)
#include "tst_prochandle.moc"
