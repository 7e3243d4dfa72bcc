// The pipeline watcher (core/watch) on real pipelines: the stages and pipes it
// finds, the bytes it says went through each pipe against what did, the
// bottleneck it names, what --pid finds from one stage, and that it leaves no
// process, zombie or fd behind.
#include "core/run/procprobe.h"
#include "core/watch/bottleneckfinder.h"
#include "core/watch/commandlauncher.h"
#include "core/watch/exitaccounting.h"
#include "core/watch/pipelinewatcher.h"
#include "core/watch/procreader.h"
#include "core/watch/watchevents.h"
#include "core/watch/watchtext.h"

#include <QtTest>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

using namespace pipescope;

namespace
{

/// What watching one command to its end saw.
struct Watched {
    bool started = false;
    bool timedOut = false;
    bool accounting = false;
    bool recordsLost = false; // the kernel dropped exit records: counts without one are lower bounds
    int status = -1;
    std::vector<WatchedProcess> processes;
    std::vector<WatchedPipe> pipes;
    std::optional<Bottleneck> bottleneck;
    std::vector<Bottleneck> stages; // every stage the finder judged, to say why on a failure

    std::string stagesText() const
    {
        std::string out = "stages:";
        for (const Bottleneck &b : stages)
            out += " " + b.text() + " score " + std::to_string(b.score) + " over " + std::to_string(b.samples) + ";";
        return out;
    }

    const WatchedProcess *named(const std::string &name) const
    {
        const auto it = std::find_if(processes.begin(), processes.end(), [&](const auto &p) { return p.name == name; });
        return it == processes.end() ? nullptr : &*it;
    }
    const WatchedPipe *between(const std::string &from, const std::string &to) const
    {
        const auto it
            = std::find_if(pipes.begin(), pipes.end(), [&](const auto &p) { return p.from == from && p.to == to; });
        return it == pipes.end() ? nullptr : &*it;
    }
};

/// Starts argv and samples it every intervalMs until it and every process it
/// left behind are reaped, as `pipescope-cli watch` does. Waits on the
/// command's pidfd between samples, so its exit ends a wait at once.
Watched watchToTheEnd(const std::vector<std::string> &argv, int intervalMs, int timeoutMs = 60000)
{
    Watched out;
    ExitAccounting accounting;
    std::string why;
    out.accounting = accounting.open(&why);
    CommandLauncher launcher;
    std::string problem;
    if (!launcher.start(argv, &problem)) {
        qWarning("%s", problem.c_str());
        return out;
    }
    out.started = true;
    WatchOptions options;
    options.root = launcher.pid();
    options.includeOwnChildren = true;
    PipelineWatcher watcher(options);
    BottleneckFinder finder(1'000'000);
    const auto collect = [&]() {
        for (const ExitRecord &r : accounting.drain())
            watcher.setFinalCounts(r.pid, r.rchar, r.wchar, r.exitStatus, ExitRecord::kSlack);
        for (const auto &[pid, status] : launcher.reapExited())
            watcher.setExitStatus(pid, status);
    };
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        finder.add(watcher.sample());
        collect();
        if (launcher.commandReaped() && !launcher.anyChildLeft())
            break;
        if (timer.elapsed() > timeoutMs) {
            out.timedOut = true;
            launcher.killAndReapAll();
            break;
        }
        pollfd fd {launcher.commandReaped() ? -1 : launcher.pidfd(), POLLIN, 0};
        poll(&fd, 1, intervalMs);
    }
    collect();
    finder.add(watcher.sample());
    out.recordsLost = accounting.recordsLost();
    out.status = launcher.commandStatus();
    out.processes = watcher.everyProcess();
    out.pipes = watcher.everyPipe();
    out.bottleneck = finder.find();
    out.stages = finder.stages();
    return out;
}

bool alive(pid_t pid)
{
    const auto s = ProcReader::stat(pid);
    return s && s->state != 'Z' && s->state != 'X';
}

/// The descendants of pid, depth first.
std::vector<pid_t> descendants(pid_t pid)
{
    std::vector<pid_t> out;
    for (const pid_t child : ProcProbe::children(pid)) {
        out.push_back(child);
        for (const pid_t grandchild : descendants(child))
            out.push_back(grandchild);
    }
    return out;
}

std::string comm(pid_t pid)
{
    const auto s = ProcReader::stat(pid);
    return s ? s->comm : std::string();
}

bool holdsPipeAt(pid_t pid, int fd)
{
    const auto fds = ProcReader::fds(pid);
    return std::any_of(fds.begin(), fds.end(), [&](const FdLink &l) { return l.fd == fd && l.pipeInode; });
}

WatchedProcess stage(pid_t pid, WatchState state, std::vector<WatchedEnd> ends)
{
    WatchedProcess p;
    p.pid = pid;
    p.name = "p" + std::to_string(pid);
    p.state = state;
    p.ends = std::move(ends);
    return p;
}

} // namespace

class TstPipelineWatcher : public QObject
{
    Q_OBJECT

private slots:
    void threeStagesTwoPipesAndTheBytesThroughThem()
    {
        constexpr std::uint64_t total = 100 << 20;
        const Watched w = watchToTheEnd({"sh", "-c", "yes | head -c 100M | wc -c >/dev/null"}, 5);
        QVERIFY(w.started);
        QVERIFY(!w.timedOut);
        QVERIFY(WIFEXITED(w.status) && WEXITSTATUS(w.status) == 0);
        for (const char *name : {"yes", "head", "wc"})
            QVERIFY2(w.named(name), name);
        const WatchedPipe *in = w.between("yes", "head");
        const WatchedPipe *out = w.between("head", "wc");
        QVERIFY(in && out);
        QCOMPARE(out->capacity, 65536); // F_GETPIPE_SZ's default, measured on a copy of its read end
        // wc read what head wrote; its rchar also counts the few KiB its loader read.
        const std::uint64_t loader = 16 * 1024;
        for (const WatchedPipe *p : {in, out}) {
            // Both ends' counts known: the smaller is the nearer.
            QCOMPARE(p->basis, ByteBasis::Both);
            QCOMPARE(p->bytes, std::min(p->bytesIn, p->bytesOut));
            if (w.accounting && !w.recordsLost) {
                // Final counts from the kernel's exit accounting, rounded down to KiB.
                QVERIFY(p->bytesFinal);
                QVERIFY2(p->bytes + p->bytesSlack >= total && p->bytes <= total + loader,
                    qPrintable(QString::number(p->bytes)));
            } else {
                // Only samples (or some exit records lost on a busy machine): a lower bound,
                // never more than went through, and final only where nothing was missed.
                QVERIFY2(p->bytes <= total + loader, qPrintable(QString::number(p->bytes)));
                if (p->bytesFinal)
                    QVERIFY2(p->bytes + p->bytesSlack >= total, qPrintable(QString::number(p->bytes)));
            }
        }
        if (w.accounting && !w.recordsLost) {
            // What head wrote in, from the other end: exactly what wc -c counts.
            QVERIFY(out->inKnown);
            // 100 MiB is whole KiB: the kernel's rounding loses nothing, head's count is exact.
            QCOMPARE(out->bytesIn, total);
            QCOMPARE(out->bytes, total);
            QVERIFY(w.named("yes")->statusKnown);
            QVERIFY(WIFSIGNALED(w.named("yes")->exitStatus)); // SIGPIPE once head had its 100M
        }
    }

    /// A zombie's /proc is its last word, exact to the byte; its exit record (rounded down
    /// to KiB) arriving after it changes neither the count nor how sure it is.
    void aZombiesCountsAreExactAndItsRecordKeepsThem()
    {
        ExitAccounting accounting;
        std::string why;
        const bool records = accounting.open(&why);
        int go[2], out[2];
        QCOMPARE(pipe2(go, O_CLOEXEC), 0);
        QCOMPARE(pipe2(out, O_CLOEXEC), 0);
        const pid_t child = fork();
        if (child == 0) {
            char c;
            if (read(go[0], &c, 1) != 1)
                _exit(1);
            static const char bytes[10000] = {};
            _exit(write(out[1], bytes, sizeof bytes) == ssize_t(sizeof bytes) ? 0 : 1);
        }
        QVERIFY(child > 0);
        close(go[0]);
        close(out[1]);
        WatchOptions options;
        options.root = child;
        PipelineWatcher watcher(options);
        watcher.sample(); // alive, waiting for go
        QCOMPARE(write(go[1], "g", 1), ssize_t(1));
        close(go[1]);
        siginfo_t info {};
        QCOMPARE(waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT), 0); // a zombie, not reaped
        watcher.sample();
        const auto seen = [&]() {
            const std::vector<WatchedProcess> all = watcher.everyProcess();
            const auto it = std::find_if(all.begin(), all.end(), [&](const auto &p) { return p.pid == child; });
            return it == all.end() ? WatchedProcess {} : *it;
        };
        QVERIFY(seen().exited());
        QVERIFY(seen().countsFinal);
        QCOMPARE(seen().countsSlack, std::uint64_t(0));
        QCOMPARE(seen().wchar, std::uint64_t(10000));
        QCOMPARE(seen().rchar, std::uint64_t(1));
        if (records) {
            for (const ExitRecord &r : accounting.drain())
                watcher.setFinalCounts(r.pid, r.rchar, r.wchar, r.exitStatus, ExitRecord::kSlack);
            QVERIFY(!accounting.recordsLost());
            QVERIFY(seen().countsFinal);
            QCOMPARE(seen().countsSlack, std::uint64_t(0));
            QCOMPARE(seen().wchar, std::uint64_t(10000));
        }
        QCOMPARE(waitpid(child, nullptr, 0), child);
        close(out[0]);
    }

    /// When the kernel drops exit records (its netlink buffer overflows in a burst of exits),
    /// a process without its record keeps the counts of its last sample: the watcher says
    /// "at least" for them and for the pipe, never "final".
    void lostExitRecordsLeaveLowerBoundsNeverFinalCounts()
    {
        ExitAccounting accounting;
        std::string why;
        if (!accounting.open(&why))
            QSKIP(qPrintable(QString::fromStdString("no exit accounting here: " + why)));
        // Room for a burst: the size asked for, past net.core.rmem_max (SO_RCVBUFFORCE: taskstats
        // needs CAP_NET_ADMIN, which lets it); the kernel reports twice what it was asked.
        QVERIFY2(accounting.receiveBuffer() >= ExitAccounting::kReceiveBuffer,
            qPrintable(QString::number(accounting.receiveBuffer())));
        // The smallest buffer the kernel grants: room for a few records only.
        QVERIFY(accounting.setReceiveBuffer(1) < 16384);
        QTemporaryDir dir;
        const std::string go = dir.filePath(QStringLiteral("go")).toStdString();
        QCOMPARE(mkfifo(go.c_str(), 0600), 0);
        // head fills the pipe and waits; the reader waits in open(go) until the test lets it go.
        CommandLauncher launcher;
        std::string problem;
        QVERIFY2(launcher.start(
                     {"sh", "-c", "head -c 1M /dev/zero | { read -r _ < \"$0\"; exec cat; } >/dev/null", go}, &problem),
            problem.c_str());
        WatchOptions options;
        options.root = launcher.pid();
        options.includeOwnChildren = true;
        PipelineWatcher watcher(options);
        // Bounded wait on what the samples see: head blocked on its full pipe.
        QElapsedTimer timer;
        timer.start();
        bool headBlocked = false;
        while (!headBlocked && timer.elapsed() < 10000) {
            const WatchSample s = watcher.sample();
            headBlocked = std::any_of(
                s.pipes.begin(), s.pipes.end(), [](const WatchedPipe &p) { return p.from == "head" && p.full(); });
            if (!headBlocked) {
                pollfd none {-1, 0, 0};
                poll(&none, 1, 5);
            }
        }
        QVERIFY(headBlocked);
        // A burst of exits, not drained: the buffer overflows, and the kernel drops every
        // record that comes after, the pipeline's among them.
        for (int i = 0; i < 200; ++i) {
            const pid_t child = fork();
            if (child == 0)
                _exit(0);
            QVERIFY(child > 0);
            QCOMPARE(waitpid(child, nullptr, 0), child);
        }
        const int writer = ::open(go.c_str(), O_WRONLY); // the reader waits in open: no wait here
        QVERIFY(writer >= 0);
        QCOMPARE(write(writer, "go\n", 3), ssize_t(3));
        ::close(writer);
        // No sample until the end (a sampled zombie's counts would be final, and rightly).
        while (!(launcher.commandReaped() && !launcher.anyChildLeft()) && timer.elapsed() < 30000) {
            pollfd fd {launcher.commandReaped() ? -1 : launcher.pidfd(), POLLIN, 0};
            poll(&fd, 1, 20);
            launcher.reapExited();
        }
        QVERIFY(launcher.commandReaped());
        for (const ExitRecord &r : accounting.drain())
            watcher.setFinalCounts(r.pid, r.rchar, r.wchar, r.exitStatus, ExitRecord::kSlack);
        QVERIFY2(accounting.recordsLost(), "no record lost: the test did not overflow the buffer");
        watcher.sample();
        const std::vector<WatchedProcess> processes = watcher.everyProcess();
        const std::vector<WatchedPipe> pipes = watcher.everyPipe();
        const auto head = std::find_if(
            processes.begin(), processes.end(), [](const WatchedProcess &p) { return p.name == "head"; });
        QVERIFY(head != processes.end());
        QVERIFY(head->exited());
        QVERIFY(!head->countsFinal); // its record was dropped: its last sample, a lower bound
        QVERIFY(head->wchar < (1u << 20));
        const auto pipe
            = std::find_if(pipes.begin(), pipes.end(), [](const WatchedPipe &p) { return p.from == "head"; });
        QVERIFY(pipe != pipes.end());
        QVERIFY(pipe->basis != ByteBasis::None);
        QVERIFY(!pipe->bytesFinal);
        QVERIFY(pipe->bytes < (1u << 20));
        const std::string text = WatchText::summary(processes, pipes, std::nullopt, 1.0, launcher.commandStatus())
            + WatchText::accountingNote(true, {}, accounting.recordsLost());
        const std::string headLine
            = text.substr(text.find(" head "), text.find('\n', text.find(" head ")) - text.find(" head "));
        QVERIFY2(headLine.find("(at least") != std::string::npos && headLine.find("(final)") == std::string::npos,
            text.c_str());
        QVERIFY2(text.find("  pipe head -> ") != std::string::npos, text.c_str());
        const std::string pipeLine = text.substr(text.find("  pipe head -> "));
        QVERIFY2(pipeLine.substr(0, pipeLine.find('\n')).find(": at least ") != std::string::npos, text.c_str());
        QVERIFY2(text.find("the kernel dropped some exit records") != std::string::npos, text.c_str());
    }

    void namesTheSlowStageTheBottleneck()
    {
        // Any process that sleeps in pipe_write or pipe_read is found even when it holds a stray pipe
        // end from its environment (the test runner's, make's) and when the scheduler keeps it on a
        // run queue while asleep, which silences wchan: see tst_waitprobe for each case alone.
        // dd reading one byte per read(2) is hundreds of times slower than head and wc on any
        // machine, so even on two busy cores (CI runs other tests beside this one) head sleeps on
        // the full pipe and wc on the empty one. gzip, the README's example, is only about seven
        // times slower than head: a CPU-starved head (runnable, so "running") lets gzip drain the
        // pipe and wait in read, and under enough load head is then rightly named instead.
        const Watched w
            = watchToTheEnd({"sh", "-c", "head -c 1M /dev/zero | dd ibs=1 obs=64k status=none | wc -c >/dev/null"}, 20);
        QVERIFY(w.started);
        QVERIFY(!w.timedOut);
        QVERIFY2(w.bottleneck, w.stagesText().c_str());
        QVERIFY2(w.bottleneck->name == "dd", w.stagesText().c_str());
        QVERIFY(w.bottleneck->running >= 0.5);
        // head sleeps in pipe_write most of the time, but this kernel (EEVDF's delayed dequeue) often
        // keeps a sleeper on the run queue, where wchan reads 0 and /proc/PID/syscall "running":
        // such samples are not counted as blocked, so here only "seen blocked" is asserted.
        QVERIFY2(w.bottleneck->inputFull > 0, w.stagesText().c_str());
        QVERIFY2(w.bottleneck->outputEmpty >= 0.8, w.stagesText().c_str());
        QVERIFY(QString::fromStdString(w.bottleneck->text()).startsWith(QStringLiteral("dd (running ")));
    }

    void pidOfTheMiddleStageFindsTheOthers()
    {
        CommandLauncher launcher;
        std::string problem;
        QVERIFY2(launcher.start({"sh", "-c", "sleep 60 | cat | sleep 60"}, &problem), problem.c_str());
        // Bounded wait on the kernel's word: three stages, each exec'd, with their pipes in place.
        std::vector<pid_t> stages;
        QTRY_VERIFY_WITH_TIMEOUT((stages = ProcProbe::children(launcher.pid())).size() == 3
                && std::count_if(stages.begin(), stages.end(), [](pid_t p) { return comm(p) == "sleep"; }) == 2
                && std::count_if(stages.begin(), stages.end(),
                       [](pid_t p) { return comm(p) == "cat" && holdsPipeAt(p, 0) && holdsPipeAt(p, 1); })
                    == 1,
            10000);
        const pid_t middle = *std::find_if(stages.begin(), stages.end(), [](pid_t p) { return comm(p) == "cat"; });
        QVERIFY(!PipelineWatcher::refusal(middle));
        {
            WatchOptions options;
            options.root = middle;
            options.followPipeHolders = true;
            PipelineWatcher watcher(options);
            const WatchSample s = watcher.sample();
            for (const pid_t pid : stages)
                QVERIFY2(s.process(pid), qPrintable(QString::number(pid)));
            int inner = 0;
            for (const WatchedPipe &p : s.pipes)
                inner += (p.from == "sleep" && p.to == "cat") || (p.from == "cat" && p.to == "sleep");
            QCOMPARE(inner, 2);
            QCOMPARE(s.process(middle)->state, WatchState::BlockedRead); // cat waits on an empty pipe
        }
        // Watching stopped nothing.
        for (const pid_t pid : stages)
            QVERIFY(alive(pid));
        launcher.killAndReapAll();
        for (const pid_t pid : stages)
            QVERIFY(!ProcReader::stat(pid));
    }

    void leaksNoFd()
    {
        const int before = ProcProbe::countOpenFds();
        const Watched w = watchToTheEnd({"sh", "-c", "head -c 8M /dev/zero | cat | cat >/dev/null"}, 5);
        QVERIFY(w.started && !w.timedOut);
        QVERIFY(w.named("cat"));
        QCOMPARE(ProcProbe::countOpenFds(), before);
    }

    void killAndReapAllLeavesNothing()
    {
        CommandLauncher launcher;
        std::string problem;
        QVERIFY(launcher.start({"sh", "-c", "sleep 60 | sleep 60; true"}, &problem));
        std::vector<pid_t> tree;
        QTRY_VERIFY_WITH_TIMEOUT((tree = descendants(launcher.pid())).size() == 2, 10000);
        tree.push_back(launcher.pid());
        const auto reaped = launcher.killAndReapAll();
        QVERIFY(launcher.commandReaped());
        QVERIFY(WIFSIGNALED(launcher.commandStatus()));
        for (const pid_t pid : tree)
            QVERIFY2(!ProcReader::stat(pid), qPrintable(QString::number(pid))); // not running, not a zombie
        QVERIFY(!launcher.anyChildLeft());
        errno = 0;
        QCOMPARE(waitpid(-1, nullptr, WNOHANG), -1);
        QCOMPARE(errno, ECHILD);
    }

    void aCommandThatCannotRunSaysSoInOneLine()
    {
        CommandLauncher launcher;
        std::string problem;
        QVERIFY(!launcher.start({"/nonexistent/pipescope-h7"}, &problem));
        QCOMPARE(problem, std::string("cannot run '/nonexistent/pipescope-h7': No such file or directory"));
        QVERIFY(!launcher.anyChildLeft());
    }

    void refusesWhatCannotBeWatched()
    {
        QVERIFY(PipelineWatcher::refusal(1)->find("PID 1") != std::string::npos);
        QVERIFY(PipelineWatcher::refusal(getpid())->find("itself") != std::string::npos);
        QVERIFY(PipelineWatcher::refusal(-5)->find("not a process id") != std::string::npos);
        // A kernel thread: any process the kernel marks PF_KTHREAD (kthreadd and its children).
        pid_t kthread = 0;
        for (const pid_t pid : ProcReader::allPids()) {
            if (const auto s = ProcReader::stat(pid); s && s->kernelThread()) {
                kthread = pid;
                break;
            }
        }
        QVERIFY(kthread > 0);
        QVERIFY(PipelineWatcher::refusal(kthread)->find("kernel thread") != std::string::npos);
        // A process that has gone: a child we reaped.
        const pid_t child = fork();
        if (child == 0)
            _exit(0);
        QCOMPARE(waitpid(child, nullptr, 0), child);
        QVERIFY(PipelineWatcher::refusal(child)->find("no process") != std::string::npos);
    }

    void bottleneckIsTheRunningStageBetweenAFullAndAnEmptyPipe()
    {
        // a -> (pipe 10) -> b -> (pipe 20) -> c: b runs, a waits on a full pipe, c on an empty one.
        BottleneckFinder finder(10);
        for (int i = 0; i < 10; ++i) {
            WatchSample s;
            s.seq = static_cast<std::uint64_t>(i);
            s.processes = {stage(1, WatchState::BlockedWrite, {{10, 1, true}}),
                stage(2, i < 8 ? WatchState::Running : WatchState::BlockedRead, {{10, 0, false}, {20, 1, true}}),
                stage(3, WatchState::BlockedRead, {{20, 0, false}})};
            WatchedPipe p10, p20;
            p10.inode = 10;
            p10.writers = {1};
            p10.readers = {2};
            p10.writerBlocked = true;
            p20.inode = 20;
            p20.writers = {2};
            p20.readers = {3};
            p20.readerBlocked = true;
            s.pipes = {p10, p20};
            finder.add(s);
        }
        const auto b = finder.find();
        QVERIFY(b);
        QCOMPARE(b->pid, 2);
        QCOMPARE(b->running, 0.8);
        QCOMPARE(b->inputFull, 1.0);
        QCOMPARE(b->outputEmpty, 1.0);
        QCOMPARE(b->text(),
            std::string("p2 (running 80% of the time, its input pipe full 100%, its output pipe empty 100%)"));
        // Too few samples to judge: nothing named.
        BottleneckFinder young(10);
        WatchSample one;
        young.add(one);
        QVERIFY(!young.find());
    }

    void textShowsEachPipeWithItsFillAndTheStatesAtItsEnds()
    {
        WatchSample s;
        s.processes
            = {stage(1, WatchState::BlockedWrite, {{10, 1, true}}), stage(2, WatchState::Running, {{10, 0, false}})};
        s.processes[0].name = "sort";
        s.processes[1].name = "head";
        WatchedPipe p;
        p.inode = 10;
        p.from = "sort";
        p.to = "head";
        p.writers = {1};
        p.readers = {2};
        p.fill = 49152;
        p.capacity = 65536;
        p.bytes = 3 << 20;
        p.basis = ByteBasis::Both;
        p.rate = 1 << 20;
        s.pipes = {p};
        const auto lines = WatchText::lines(s, std::nullopt);
        QCOMPARE(lines.size(), std::size_t(3));
        const QString line = QString::fromStdString(lines.at(1));
        QVERIFY2(line.startsWith(QStringLiteral("sort -> head")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("3.0 MiB ")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("1.0 MiB/s")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("[############....] 48.0 KiB / 64.0 KiB")), qPrintable(line));
        QVERIFY2(line.endsWith(QStringLiteral("blocked-write | running")), qPrintable(line));
        QCOMPARE(lines.at(2), std::string("bottleneck: none yet"));
        QCOMPARE(WatchText::status(0), std::string("exited 0"));
        QCOMPARE(WatchText::status(SIGPIPE), std::string("killed by SIGPIPE"));
        QCOMPARE(WatchText::bar(-1, 65536, 4), std::string("[?   ]"));
    }

    void eventsSayOnlyWhatSamplesSaw()
    {
        WatchEvents events;
        WatchSample s;
        s.timeNs = 1000;
        s.processes = {stage(7, WatchState::Running, {{10, 1, true}})};
        s.processes[0].name = "yes";
        auto e = events.next(s);
        QCOMPARE(e.size(), std::size_t(1));
        QCOMPARE(e[0].kind, EventKind::ProcessStarted);
        QCOMPARE(e[0].textView(), std::string_view("yes"));

        s.processes[0].state = WatchState::BlockedWrite;
        s.processes[0].wchan = "anon_pipe_write";
        e = events.next(s);
        QCOMPARE(e.size(), std::size_t(1));
        QCOMPARE(e[0].kind, EventKind::Blocked);
        QCOMPARE(e[0].fd, 1);
        QCOMPARE(e[0].inode, std::uint64_t(10));
        QCOMPARE(e[0].textView(), std::string_view("anon_pipe_write"));
        QVERIFY(events.next(s).empty()); // still blocked: nothing new

        s.processes[0].state = WatchState::Running;
        e = events.next(s);
        QCOMPARE(e.size(), std::size_t(1));
        QCOMPARE(e[0].kind, EventKind::Woken);

        s.processes[0].state = WatchState::Exited;
        s.processes[0].statusKnown = true;
        s.processes[0].exitStatus = SIGPIPE;
        e = events.next(s);
        QCOMPARE(e.size(), std::size_t(1));
        QCOMPARE(e[0].kind, EventKind::Exited);
        QCOMPARE(e[0].status, SIGPIPE);
        QVERIFY(events.next(s).empty()); // exited once
    }
};

QTEST_GUILESS_MAIN(TstPipelineWatcher)
#include "tst_pipelinewatcher.moc"
