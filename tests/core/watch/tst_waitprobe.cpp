// What a sampled process waits on (core/watch WaitProbe, ProcReader::call):
// a writer asleep on a full pipe is seen as such although it also holds a
// stray pipe end inherited from whoever started it (a test runner, make), the
// fd it sleeps on comes from /proc/PID/syscall, and a process that stat shows
// asleep but whose wchan the kernel keeps silent is placed by its system call.
#include "core/watch/commandlauncher.h"
#include "core/watch/pipelinewatcher.h"
#include "core/watch/procreader.h"
#include "core/watch/waitprobe.h"
#include "core/watch/watchevents.h"

#include <QtTest>

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

using namespace pipescope;

namespace
{

/// Samples every 10 ms until `done` says yes or timeoutMs pass; the last sample.
WatchSample sampleUntil(
    PipelineWatcher &watcher, const std::function<bool(const WatchSample &)> &done, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    WatchSample s = watcher.sample();
    while (!done(s) && timer.elapsed() < timeoutMs) {
        poll(nullptr, 0, 10); // the interval between two samples, as the CLI's
        s = watcher.sample();
    }
    return s;
}

const WatchedProcess *named(const WatchSample &s, const std::string &name)
{
    const auto it = std::find_if(
        s.processes.begin(), s.processes.end(), [&](const WatchedProcess &p) { return p.name == name && !p.exited(); });
    return it == s.processes.end() ? nullptr : &*it;
}

const WatchedPipe *between(const WatchSample &s, const std::string &from, const std::string &to)
{
    const auto it = std::find_if(
        s.pipes.begin(), s.pipes.end(), [&](const WatchedPipe &p) { return p.from == from && p.to == to; });
    return it == s.pipes.end() ? nullptr : &*it;
}

} // namespace

class TstWaitProbe : public QObject
{
    Q_OBJECT

private slots:
    void aStrayPipeEndDoesNotHideAWriterBlockedOnAFullPipe()
    {
        // A pipe whose write end every process of the command inherits, as a
        // shell's or make's does: each stage then holds two write ends.
        int stray[2];
        QCOMPARE(pipe(stray), 0); // no O_CLOEXEC: it is meant to leak
        CommandLauncher launcher;
        std::string problem;
        const bool started = launcher.start({"sh", "-c", "yes | sleep 30"}, &problem);
        close(stray[1]);
        QVERIFY2(started, problem.c_str());
        WatchOptions options;
        options.root = launcher.pid();
        options.includeOwnChildren = true;
        PipelineWatcher watcher(options);
        // yes fills the pipe nobody reads and sleeps in pipe_write for good.
        const WatchSample s = sampleUntil(watcher, [](const WatchSample &s) {
            const WatchedProcess *yes = named(s, "yes");
            return yes && yes->state == WatchState::BlockedWrite && named(s, "sleep") && between(s, "yes", "sleep");
        });
        const WatchedProcess *yes = named(s, "yes");
        QVERIFY(yes && yes->state == WatchState::BlockedWrite);
        // Ours, and any its starters leaked to us: at least two write ends.
        QVERIFY(std::count_if(yes->ends.begin(), yes->ends.end(), [](const WatchedEnd &e) { return e.writeEnd; }) >= 2);
        QCOMPARE(yes->blockedFd, 1); // from /proc/PID/syscall: "1 0x1 ..."
        const WatchedPipe *full = between(s, "yes", "sleep");
        QVERIFY(full);
        QCOMPARE(yes->outPipe, full->inode);
        QVERIFY(full->writerBlocked);
        QVERIFY(full->full());
        QCOMPARE(full->fill, full->capacity);
        // The stray pipe is not the one it waits on.
        for (const WatchedPipe &p : s.pipes) {
            if (p.inode != full->inode)
                QVERIFY(!p.writerBlocked);
        }
        // The event a GUI draws names the same pipe.
        WatchEvents events;
        const auto e = events.next(s);
        const auto blocked = std::find_if(
            e.begin(), e.end(), [&](const Event &ev) { return ev.kind == EventKind::Blocked && ev.pid == yes->pid; });
        QVERIFY(blocked != e.end());
        QCOMPARE(blocked->fd, 1);
        QCOMPARE(blocked->inode, full->inode);
        launcher.killAndReapAll();
        close(stray[0]);
    }

    void callNamesTheFdAProcessSleepsOn()
    {
        CommandLauncher launcher;
        std::string problem;
        QVERIFY2(launcher.start({"sh", "-c", "sleep 30 | cat"}, &problem), problem.c_str());
        WatchOptions options;
        options.root = launcher.pid();
        options.includeOwnChildren = true;
        PipelineWatcher watcher(options);
        const WatchSample s = sampleUntil(watcher, [](const WatchSample &s) {
            const WatchedProcess *cat = named(s, "cat");
            return cat && cat->state == WatchState::BlockedRead;
        });
        const WatchedProcess *cat = named(s, "cat");
        QVERIFY(cat && cat->state == WatchState::BlockedRead);
        const auto call = ProcReader::call(cat->pid);
        QVERIFY(call);
        QVERIFY(!call->running);
        QCOMPARE(call->nr, long(SYS_read));
        QCOMPARE(call->fd, 0);
        QVERIFY(!call->writes);
        QCOMPARE(cat->blockedFd, 0);
        launcher.killAndReapAll();
        QVERIFY(!ProcReader::call(cat->pid)); // gone: nothing to say
    }

    void aSilentWchanIsSettledByTheCall()
    {
        // stat said S, wchan said nothing (the task was still on a run queue),
        // the call says write on fd 1, a pipe's write end: asleep in pipe_write.
        const std::vector<WatchedEnd> ends {{10, 0, false}, {20, 1, true}, {30, 251, true}};
        WaitInfo info;
        info.state = WatchState::Sleeping;
        info.call = ProcCall {false, SYS_write, 1, true};
        WaitProbe::resolve(0, info, ends);
        QCOMPARE(info.state, WatchState::BlockedWrite);
        QCOMPARE(info.blockedFd, 1);

        // In a read of a file that is no pipe end it holds: only sleeping.
        WaitInfo file;
        file.state = WatchState::Sleeping;
        file.call = ProcCall {false, SYS_read, 5, false};
        WaitProbe::resolve(0, file, ends);
        QCOMPARE(file.state, WatchState::Sleeping);
        QCOMPARE(file.blockedFd, -1);

        // wchan named pipe_write and the call the stray end: that one.
        WaitInfo strayWait;
        strayWait.state = WaitProbe::sleepState("anon_pipe_write");
        strayWait.wchan = "anon_pipe_write";
        strayWait.call = ProcCall {false, SYS_write, 251, true};
        WaitProbe::resolve(0, strayWait, ends);
        QCOMPARE(strayWait.state, WatchState::BlockedWrite);
        QCOMPARE(strayWait.blockedFd, 251);

        // Blocked in read with one read end: that one, without asking.
        WaitInfo read;
        read.state = WaitProbe::sleepState("pipe_read");
        WaitProbe::resolve(0, read, ends);
        QCOMPARE(read.state, WatchState::BlockedRead);
        QCOMPARE(read.blockedFd, 0);
        QVERIFY(!read.call);
    }
};

QTEST_GUILESS_MAIN(TstWaitProbe)
#include "tst_waitprobe.moc"
