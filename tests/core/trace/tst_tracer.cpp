// The tracer against the kernel: real programs (small C test programs and a
// shell pipeline) run under ptrace + seccomp, and the events they produce must
// add up to what the kernel did: bytes per pipe, EOF, fork and exec per
// process, every process exited and reaped, nothing left behind.
#include "core/model/runstate.h"
#include "core/trace/tracer.h"

#include <QtTest>

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

using namespace pipescope;

namespace
{

struct Traced {
    bool started = false;
    std::string problem;
    int status = -1;
    std::vector<Event> events;
    RunState state;
};

Traced trace(const std::vector<std::string> &argv)
{
    Traced t;
    Tracer tracer([&](const Event &e) {
        t.events.push_back(e);
        t.state.apply(e);
    });
    t.state.setExecsTraced(true);
    TraceOptions options;
    options.argv = argv;
    t.started = tracer.start(options, &t.problem);
    if (t.started)
        t.status = tracer.run();
    return t;
}

std::string program(const char *name)
{
    return std::string(TRACE_PROGRAMS_DIR) + "/" + name;
}

int openFds()
{
    int n = 0;
    DIR *dir = opendir("/proc/self/fd");
    while (const dirent *entry = readdir(dir))
        n += entry->d_name[0] != '.';
    closedir(dir);
    return n;
}

int count(const Traced &t, EventKind kind, pid_t pid = 0)
{
    int n = 0;
    for (const Event &e : t.events)
        n += e.kind == kind && (pid == 0 || e.pid == pid);
    return n;
}

/// The one pipe the program made itself (not an inherited stdout).
const PipeInfo *createdPipe(const Traced &t)
{
    for (const Event &e : t.events) {
        if (e.kind == EventKind::PipeCreated && e.err == 0 && e.fd >= 0 && e.fd2 >= 0) // not an inherited end
            return t.state.pipe(e.inode);
    }
    return nullptr;
}

} // namespace

class TestTracer : public QObject
{
    Q_OBJECT

private:
    int m_fdsBefore = 0;

    /// After every run: no child of ours left (not even a zombie), no fd leaked.
    void checkNothingLeft()
    {
        errno = 0;
        QCOMPARE(waitpid(-1, nullptr, WNOHANG | __WALL), -1);
        QCOMPARE(errno, ECHILD);
        QCOMPARE(openFds(), m_fdsBefore);
    }

    void checkEveryProcessReaped(const Traced &t)
    {
        QVERIFY(!t.state.processes().empty());
        for (const ProcessInfo &p : t.state.processes()) {
            QVERIFY2(p.state == ProcessState::Reaped, std::to_string(p.pid).c_str());
            QCOMPARE(count(t, EventKind::Exited, p.pid), 1);
        }
    }

private slots:
    void init() { m_fdsBefore = openFds(); }

    void pipelineAddsUp_data()
    {
        QTest::addColumn<int>("exitCode");
        QTest::newRow("exit 0") << 0;
        QTest::newRow("exit 7") << 7;
    }

    void pipelineAddsUp()
    {
        QFETCH(int, exitCode);
        const Traced t = trace({program("pipeline"), std::to_string(exitCode)});
        QVERIFY2(t.started, t.problem.c_str());
        QVERIFY(WIFEXITED(t.status));
        QCOMPARE(WEXITSTATUS(t.status), exitCode);
        const PipeInfo *pipe = createdPipe(t);
        QVERIFY(pipe);
        QCOMPARE(pipe->written, 5);
        QCOMPARE(pipe->read, 5);
        QVERIFY(pipe->eofSeen);
        QCOMPARE(pipe->capacity, 65536); // F_GETPIPE_SZ's default (FACTS.md)
        // A parent and its two children, each forked once by the parent.
        QCOMPARE(t.state.processes().size(), std::size_t(3));
        const pid_t parent = t.state.processes().front().pid;
        QCOMPARE(count(t, EventKind::Fork, parent), 2);
        // The parent reaped both children with waitpid, and we reaped the parent.
        QCOMPARE(count(t, EventKind::Wait, parent), 2);
        QCOMPARE(t.events.back().kind, EventKind::RunFinished);
        QCOMPARE(t.events.back().status, exitCode == 0 ? int(OutcomeOk) : int(OutcomeFailed));
        checkEveryProcessReaped(t);
        checkNothingLeft();
    }

    void eventsOfAProcessComeInItsOrder()
    {
        const Traced t = trace({program("pipeline")});
        QVERIFY(t.started);
        // Nothing of a child before its Fork; nothing of a process after its
        // Exited but its Reaped (or its parent's Wait for it).
        std::map<pid_t, std::size_t> forkedAt;
        std::map<pid_t, std::size_t> exitedAt;
        for (std::size_t i = 0; i < t.events.size(); ++i) {
            const Event &e = t.events[i];
            if (e.kind == EventKind::Fork)
                forkedAt[e.otherPid] = i;
            if (e.kind == EventKind::Exited)
                exitedAt[e.pid] = i;
        }
        QCOMPARE(forkedAt.size(), std::size_t(2));
        for (std::size_t i = 0; i < t.events.size(); ++i) {
            const Event &e = t.events[i];
            if (!isSyscallKind(e.kind) || e.kind == EventKind::Wait)
                continue;
            if (forkedAt.count(e.pid))
                QVERIFY2(i > forkedAt[e.pid], eventKindName(e.kind));
            QVERIFY2(exitedAt.count(e.pid) && i < exitedAt[e.pid], eventKindName(e.kind));
        }
        for (const Event &e : t.events) {
            if (e.kind == EventKind::Wait)
                QVERIFY(exitedAt.count(e.otherPid));
        }
        checkNothingLeft();
    }

    void shellPipelineShowsEveryStage()
    {
        const Traced t = trace({"sh", "-c", "printf hello | cat >/dev/null"});
        QVERIFY2(t.started, t.problem.c_str());
        QCOMPARE(t.status, 0);
        const PipeInfo *pipe = createdPipe(t);
        QVERIFY(pipe);
        QCOMPARE(pipe->written, 5);
        QCOMPARE(pipe->read, 5);
        QVERIFY(pipe->eofSeen);
        // The shell and one child per stage; the second stage exec'd cat.
        QCOMPARE(t.state.processes().size(), std::size_t(3));
        bool catSeen = false;
        for (const Event &e : t.events)
            catSeen = catSeen || (e.kind == EventKind::Exec && e.textView() == "cat");
        QVERIFY(catSeen);
        checkEveryProcessReaped(t);
        checkNothingLeft();
    }

    void threadsAreNotProcesses()
    {
        const Traced t = trace({program("threaded")});
        QVERIFY(t.started);
        QCOMPARE(t.status, 0);
        QCOMPARE(t.state.processes().size(), std::size_t(1));
        QCOMPARE(count(t, EventKind::Fork), 0);
        const PipeInfo *pipe = createdPipe(t);
        QVERIFY(pipe);
        QCOMPARE(pipe->written, 5);
        QCOMPARE(pipe->read, 5);
        QVERIFY(pipe->eofSeen);
        checkNothingLeft();
    }

    void orphanIsReaped()
    {
        // The parent exits without waiting; the orphan comes to the tracer.
        const Traced t = trace({program("orphan")});
        QVERIFY(t.started);
        QCOMPARE(t.status, 0);
        QCOMPARE(t.state.processes().size(), std::size_t(2));
        const PipeInfo *pipe = createdPipe(t);
        QVERIFY(pipe);
        QVERIFY(pipe->eofSeen);
        checkEveryProcessReaped(t);
        checkNothingLeft();
    }

    void cannotRun_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not in PATH") << "no-such-program-pipescope"
                                     << "cannot run 'no-such-program-pipescope': No such file or directory";
        QTest::newRow("no such path") << "/nonexistent/prog"
                                      << "cannot run '/nonexistent/prog': No such file or directory";
        QTest::newRow("a directory") << "/tmp"
                                     << "cannot run '/tmp': Permission denied";
    }

    void cannotRun()
    {
        QFETCH(QString, program);
        QFETCH(QString, problem);
        const Traced t = trace({program.toStdString()});
        QVERIFY(!t.started);
        QCOMPARE(QString::fromStdString(t.problem), problem);
        QVERIFY(t.events.empty());
        checkNothingLeft();
    }
};

QTEST_GUILESS_MAIN(TestTracer)
#include "tst_tracer.moc"
