// Runs the seven pitfall scenarios for real and checks, from the kernel's own
// state (/proc, wait statuses, errno, the runner's watchdog), the fact each one
// teaches; then that every run, hung or not, left nothing behind.
#include "core/run/procprobe.h"
#include "core/session/runsession.h"
#include "core/model/runstate.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "core/model/sharedstate.h"

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <set>

using namespace pipescope;

using Assignments = std::vector<std::pair<std::string, std::string>>;
Q_DECLARE_METATYPE(Assignments)

namespace
{

std::int64_t nowMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

bool contains(std::string_view text, std::string_view needle)
{
    return text.find(needle) != std::string_view::npos;
}

bool processGone(pid_t pid)
{
    errno = 0;
    return kill(pid, 0) == -1 && errno == ESRCH;
}

/// One run driven through RunSession: every event in order, folded into a RunState.
class PitfallRun
{
public:
    bool start(const std::string &scenario, const Assignments &assignments, int watchdogMs = 0)
    {
        RunRequest request;
        request.scenario = scenario;
        request.assignments = assignments;
        request.watchdogMs = watchdogMs;
        m_session = RunSession::start(request, &m_error);
        if (m_session)
            m_runnerPid = m_session->runnerPid();
        return m_session != nullptr;
    }

    /// Reads events until one satisfies predicate (returns the index of the first such event,
    /// however early it came), the run ends, or the deadline passes (-1).
    int waitFor(const std::function<bool(const Event &)> &predicate, int timeoutMs = 10000)
    {
        const std::int64_t deadline = nowMs() + timeoutMs;
        for (std::size_t checked = 0;;) {
            for (; checked < m_events.size(); ++checked) {
                if (predicate(m_events[checked]))
                    return static_cast<int>(checked);
            }
            const std::int64_t left = deadline - nowMs();
            if (left <= 0 || m_session->finished())
                return -1;
            pump(static_cast<int>(std::min<std::int64_t>(left, 100)));
        }
    }

    bool finish(int timeoutMs = 20000)
    {
        const std::int64_t deadline = nowMs() + timeoutMs;
        while (!m_session->finished()) {
            const std::int64_t left = deadline - nowMs();
            if (left <= 0)
                return false;
            pump(static_cast<int>(std::min<std::int64_t>(left, 100)));
        }
        m_state.applyCounters(m_session->shared());
        return true;
    }

    /// Fresh byte counters (exact even at full speed) for the pipe with this inode.
    PipeInfo pipeNow(std::uint64_t inode)
    {
        m_state.applyCounters(m_session->shared());
        const PipeInfo *p = m_state.pipe(inode);
        return p ? *p : PipeInfo {};
    }

    void release() { m_session.reset(); }
    RunSession &session() { return *m_session; }
    const std::vector<Event> &events() const { return m_events; }
    const RunState &state() const { return m_state; }
    const std::string &error() const { return m_error; }
    pid_t runnerPid() const { return m_runnerPid; }

    std::vector<Event> eventsOf(EventKind kind) const
    {
        std::vector<Event> out;
        for (const Event &e : m_events) {
            if (e.kind == kind)
                out.push_back(e);
        }
        return out;
    }

    pid_t pidOf(const std::string &role) const
    {
        for (const ProcessInfo &p : m_state.processes()) {
            if (p.role == role)
                return p.pid;
        }
        return 0;
    }

    /// The watchdog's full text: its event, continued by the runner's notes right after it.
    std::string watchdogText() const
    {
        std::string text;
        bool inside = false;
        for (const Event &e : m_events) {
            if (e.kind == EventKind::Watchdog) {
                text = std::string(e.textView());
                inside = true;
            } else if (inside && e.kind == EventKind::Note && e.pid == m_runnerPid) {
                text += std::string(e.textView());
            } else if (inside) {
                break;
            }
        }
        return text;
    }

    /// The number after "interleavings: " in the reader's note, or -1.
    int interleavings() const
    {
        for (const Event &e : m_events) {
            const std::string_view text = e.textView();
            const auto pos = text.find("interleavings: ");
            if (e.kind == EventKind::Note && pos != std::string_view::npos)
                return std::atoi(std::string(text.substr(pos + 15)).c_str());
        }
        return -1;
    }

    /// Time of the last event a scenario process sent itself (the runner's watchdog clock restarts on each).
    std::int64_t lastTraceeEventNs() const
    {
        std::int64_t last = 0;
        for (const Event &e : m_events) {
            if (e.pid != m_runnerPid && e.kind != EventKind::Blocked && e.kind != EventKind::Woken
                && e.kind != EventKind::Exited && e.kind != EventKind::Reaped && e.kind != EventKind::Watchdog)
                last = std::max(last, e.timeNs);
        }
        return last;
    }

private:
    void pump(int timeoutMs)
    {
        std::vector<Event> batch;
        m_session->waitForEvents(&batch, timeoutMs);
        for (const Event &e : batch) {
            m_events.push_back(e);
            m_state.apply(e);
        }
        m_state.applyCounters(m_session->shared());
    }

    std::unique_ptr<RunSession> m_session;
    std::vector<Event> m_events;
    RunState m_state;
    std::string m_error;
    pid_t m_runnerPid = 0;
};

auto blockedIn(pid_t pid, const char *wchan)
{
    return [pid, wchan](const Event &e) {
        return e.kind == EventKind::Blocked && e.pid == pid && contains(e.textView(), wchan);
    };
}

auto kindIs(EventKind kind)
{
    return [kind](const Event &e) { return e.kind == kind; };
}

} // namespace

class TestPitfalls : public QObject
{
    Q_OBJECT

private:
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

private slots:
    void init() { m_fdsBefore = ProcProbe::countOpenFds(); }

    void everyPitfallIsRegistered_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name :
            {"no-close-eof", "epipe", "capacity", "deadlock", "fd-leak-exec", "atomic-writes", "zombie"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void everyPitfallIsRegistered()
    {
        QFETCH(QString, name);
        const Scenario *s = ScenarioCatalog::find(name.toStdString());
        QVERIFY(s);
        QVERIFY(!s->description().empty());
        QVERIFY(s->description().size() <= 120);
        bool fixed = false;
        bool watchdog = false;
        for (const ParamSpec &p : s->params()) {
            if (p.name == "fixed") {
                fixed = p.type == ParamType::Bool && p.defaultValue == "false";
            } else if (p.name == "watchdog-ms") {
                watchdog = p.type == ParamType::Int && p.defaultValue == "5000" && p.min == 100 && p.max == 60000;
            }
        }
        QVERIFY(fixed);
        QVERIFY(watchdog);
        // After the seven lessons of the happy path, in teaching order.
        const auto &all = ScenarioCatalog::all();
        QVERIFY(std::find(all.begin(), all.end(), s) - all.begin() >= 7);
    }

    void badCombinationStartsNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Assignments>("assignments");
        QTest::newRow("zombie longer than the watchdog")
            << "zombie" << Assignments {{"zombie-ms", "3000"}, {"watchdog-ms", "3000"}};
        QTest::newRow("reader sleeps past the watchdog") << "capacity" << Assignments {{"reader-delay-ms", "6000"}};
        QTest::newRow("watchdog below its range") << "deadlock" << Assignments {{"watchdog-ms", "99"}};
        QTest::newRow("capacity above 1M") << "capacity" << Assignments {{"capacity", "2M"}};
        QTest::newRow("too many writers") << "atomic-writes" << Assignments {{"writers", "9"}};
    }

    void badCombinationStartsNothing()
    {
        QFETCH(QString, name);
        QFETCH(Assignments, assignments);
        PitfallRun run;
        QVERIFY(!run.start(name.toStdString(), assignments));
        QVERIFY(!run.error().empty());
        errno = 0;
        QVERIFY(waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD);
        QCOMPARE(ProcProbe::countOpenFds(), m_fdsBefore);
    }

    void noCloseEofReaderWaitsOnParentsWriteEnd()
    {
        PitfallRun run;
        const int limit = 1500;
        QVERIFY2(run.start("no-close-eof", {{"watchdog-ms", std::to_string(limit)}}), run.error().c_str());
        const int created = run.waitFor(kindIs(EventKind::PipeCreated));
        QVERIFY(created >= 0);
        const Event pipe = run.events()[static_cast<std::size_t>(created)];
        const pid_t parent = pipe.pid;
        QVERIFY(run.waitFor(kindIs(EventKind::Fork)) >= 0);
        const pid_t child = run.pidOf("child");
        QVERIFY(child > 0);
        QVERIFY2(run.waitFor(blockedIn(child, "anon_pipe_read")) >= 0, "the child was never seen blocked in read");

        // The kernel's view while it hangs: the child sleeps in read() on the pipe ...
        const auto probe = ProcProbe::probe(child);
        QVERIFY(probe);
        QCOMPARE(probe->state, 'S');
        QCOMPARE(probe->wchan, std::string("anon_pipe_read"));
        QCOMPARE(probe->syscall, 0L); // read
        QCOMPARE(probe->arg0, static_cast<long>(pipe.fd));
        // ... and the parent's fd is still a write end of that very pipe, the only one left.
        bool parentHoldsWriteEnd = false;
        for (const FdEntry &fd : ProcProbe::fdTable(parent))
            parentHoldsWriteEnd |= fd.fd == pipe.fd2 && fd.pipeInode == pipe.inode && fd.writeEnd;
        QVERIFY2(parentHoldsWriteEnd, "the parent's write end is not open");
        for (const FdEntry &fd : ProcProbe::fdTable(child))
            QVERIFY2(!(fd.pipeInode == pipe.inode && fd.writeEnd), "the child holds a write end itself");
        QCOMPARE(run.state().openEnds(pipe.inode, true), 1);
        QVERIFY(!run.pipeNow(pipe.inode).eofSeen);

        checkWatchdog(run, limit);
        const std::string text = run.watchdogText();
        QVERIFY2(contains(text,
                     std::to_string(child) + " (child) blocked in read(" + std::to_string(pipe.fd)
                         + "): pipe empty, write end kept open by " + std::to_string(parent) + " (parent) fd "
                         + std::to_string(pipe.fd2)),
            text.c_str());
        QVERIFY(run.eventsOf(EventKind::Read).back().result > 0); // data came, EOF never did
        checkNothingLeft(run);
    }

    void epipeKillsOrFailsTheWriter_data()
    {
        QTest::addColumn<bool>("ignore");
        QTest::newRow("SIGPIPE kills the writer") << false;
        QTest::newRow("SIGPIPE ignored: EPIPE") << true;
    }

    void epipeKillsOrFailsTheWriter()
    {
        QFETCH(bool, ignore);
        PitfallRun run;
        QVERIFY(run.start("epipe", {{"ignore-sigpipe", ignore ? "true" : "false"}}));
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeFailed));
        const pid_t writer = run.pidOf("writer");
        const pid_t reader = run.pidOf("reader");
        const ProcessInfo *w = run.state().process(writer);
        QVERIFY(w);
        // When the last read end closed: the reader's close of its fd, entered before the writer's failure.
        std::int64_t readerClosedNs = 0;
        for (const Event &e : run.eventsOf(EventKind::Close))
            readerClosedNs = e.pid == reader ? e.startNs : readerClosedNs;
        QVERIFY(readerClosedNs > 0);
        std::vector<Event> epipes;
        for (const Event &e : run.eventsOf(EventKind::Write)) {
            if (e.pid == writer && e.err == EPIPE)
                epipes.push_back(e);
        }
        if (ignore) {
            QVERIFY2(WIFEXITED(w->status) && WEXITSTATUS(w->status) == 1, "the writer should exit 1 after EPIPE");
            QCOMPARE(epipes.size(), std::size_t {1});
            QCOMPARE(epipes.front().result, std::int64_t {-1});
            QVERIFY(epipes.front().isBrokenPipe());
            QVERIFY(readerClosedNs < epipes.front().timeNs);
        } else {
            QVERIFY2(WIFSIGNALED(w->status), "the writer was not killed");
            QCOMPARE(WTERMSIG(w->status), SIGPIPE);
            QVERIFY(epipes.empty()); // it died inside write(): nothing returned
        }
        // The writer had to wait for the reader (more than a pipe holds), so it wrote less than asked.
        const PipeInfo &p = run.state().pipes().front();
        QVERIFY(p.written < 256 * 1024);
        QCOMPARE(p.read, std::int64_t {4096});
        checkNothingLeft(run);
    }

    void capacityWriterBlocksWhenPipeIsFull_data()
    {
        QTest::addColumn<QString>("capacity");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("4K") << "4K" << qint64 {4096};
        QTest::newRow("5000 rounds up to 8K") << "5000" << qint64 {8192};
        QTest::newRow("64K") << "64K" << qint64 {65536};
        QTest::newRow("1M") << "1M" << qint64 {1048576};
    }

    void capacityWriterBlocksWhenPipeIsFull()
    {
        QFETCH(QString, capacity);
        QFETCH(qint64, expected);
        PitfallRun run;
        QVERIFY(run.start(
            "capacity", {{"capacity", capacity.toStdString()}, {"reader-delay-ms", "4000"}, {"watchdog-ms", "8000"}}));
        const int resized = run.waitFor(kindIs(EventKind::SetPipeSize));
        QVERIFY(resized >= 0);
        const Event set = run.events()[static_cast<std::size_t>(resized)];
        QCOMPARE(set.result, expected); // what the kernel chose, a power-of-two number of pages
        const pid_t writer = set.pid;
        QVERIFY2(run.waitFor(blockedIn(writer, "anon_pipe_write")) >= 0, "the writer never blocked");
        const auto probe = ProcProbe::probe(writer);
        QVERIFY(probe);
        QCOMPARE(probe->wchan, std::string("anon_pipe_write"));
        QCOMPARE(probe->syscall, 1L); // write
        // Nothing read yet, and the pipe holds exactly its capacity.
        const PipeInfo p = run.pipeNow(set.inode);
        QCOMPARE(p.read, std::int64_t {0});
        QCOMPARE(p.written, std::int64_t {expected});
        QCOMPARE(p.capacity, std::int64_t {expected});
        // The lesson is made; skip the reader's wait.
        run.session().cancel();
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeCancelled));
        checkNothingLeft(run);
    }

    void capacityWaitsThenCompletes()
    {
        PitfallRun run;
        QVERIFY(run.start("capacity", {{"capacity", "16K"}, {"reader-delay-ms", "300"}}));
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        const PipeInfo &p = run.state().pipes().front();
        QCOMPARE(p.written, std::int64_t {32768});
        QCOMPARE(p.read, std::int64_t {32768});
        QCOMPARE(p.maxFill, std::int64_t {16384});
        bool blocked = false;
        for (const Event &e : run.eventsOf(EventKind::Blocked))
            blocked |= e.pid == run.state().processes().front().pid && contains(e.textView(), "anon_pipe_write");
        QVERIFY2(blocked, "the writer never waited for the sleeping reader");
        checkNothingLeft(run);
    }

    void deadlockBothBlockInWrite_data()
    {
        QTest::addColumn<QString>("bytes");
        QTest::addColumn<int>("paramMs");
        QTest::addColumn<int>("requestMs");
        QTest::addColumn<int>("limitMs");
        QTest::newRow("128K, watchdog-ms 1000") << "128K" << 1000 << 0 << 1000;
        QTest::newRow("1M, watchdog-ms 500") << "1M" << 500 << 0 << 500;
        QTest::newRow("the request's limit wins") << "128K" << 5000 << 700 << 700;
    }

    void deadlockBothBlockInWrite()
    {
        QFETCH(QString, bytes);
        QFETCH(int, paramMs);
        QFETCH(int, requestMs);
        QFETCH(int, limitMs);
        PitfallRun run;
        QVERIFY(run.start(
            "deadlock", {{"bytes", bytes.toStdString()}, {"watchdog-ms", std::to_string(paramMs)}}, requestMs));
        QVERIFY(run.waitFor(kindIs(EventKind::Fork)) >= 0);
        const pid_t parent = run.pidOf("parent");
        const pid_t child = run.pidOf("child");
        QVERIFY(parent > 0 && child > 0);
        QVERIFY(run.waitFor(blockedIn(parent, "anon_pipe_write")) >= 0);
        QVERIFY(run.waitFor(blockedIn(child, "anon_pipe_write")) >= 0);
        for (pid_t pid : {parent, child}) {
            const auto probe = ProcProbe::probe(pid);
            QVERIFY(probe);
            QCOMPARE(probe->wchan, std::string("anon_pipe_write"));
            QCOMPARE(probe->syscall, 1L);
        }
        // Both pipes are full and nobody has read a byte.
        for (const PipeInfo &p : run.state().pipes()) {
            const PipeInfo now = run.pipeNow(p.inode);
            QCOMPARE(now.written, now.capacity);
            QCOMPARE(now.read, std::int64_t {0});
        }
        checkWatchdog(run, limitMs);
        const std::string text = run.watchdogText();
        QVERIFY2(contains(text, std::to_string(parent) + " (parent) blocked in write("), text.c_str());
        QVERIFY2(contains(text, std::to_string(child) + " (child) blocked in write("), text.c_str());
        QVERIFY2(contains(text, "read end held by " + std::to_string(child) + " (child)"), text.c_str());
        QVERIFY2(contains(text, "read end held by " + std::to_string(parent) + " (parent)"), text.c_str());
        checkNothingLeft(run);
    }

    void fdLeakExecProgramHoldsTheWriteEnd()
    {
        PitfallRun run;
        const int limit = 1500;
        QVERIFY(run.start("fd-leak-exec", {{"watchdog-ms", std::to_string(limit)}}));
        const int created = run.waitFor(kindIs(EventKind::PipeCreated));
        QVERIFY(created >= 0);
        const Event data = run.events()[static_cast<std::size_t>(created)];
        QCOMPARE(data.status & O_CLOEXEC, 0);
        const int exec = run.waitFor(kindIs(EventKind::Exec));
        QVERIFY(exec >= 0);
        const pid_t cat = run.events()[static_cast<std::size_t>(exec)].pid;
        QVERIFY(run.waitFor([](const Event &e) {
            return e.kind == EventKind::Fork && contains(e.textView(), "reader");
        }) >= 0);
        const pid_t reader = run.pidOf("reader");
        QVERIFY2(run.waitFor(blockedIn(reader, "anon_pipe_read")) >= 0, "the reader never blocked");
        QVERIFY2(run.waitFor(blockedIn(cat, "anon_pipe_read")) >= 0, "cat never started reading");

        // It is the exec'd program: /proc says so, and its fd table holds the leaked write end.
        const auto exe = ProcProbe::readFile("/proc/" + std::to_string(cat) + "/comm");
        QVERIFY(exe);
        QCOMPARE(*exe, std::string("cat\n"));
        bool leaked = false;
        for (const FdEntry &fd : ProcProbe::fdTable(cat))
            leaked |= fd.fd == data.fd2 && fd.pipeInode == data.inode && fd.writeEnd && !fd.closeOnExec;
        QVERIFY2(leaked, "cat does not hold the write end");
        // The parent closed its own; cat's copy is the only write end left.
        int writeEnds = 0;
        for (pid_t pid : {run.pidOf("parent"), cat, reader}) {
            for (const FdEntry &fd : ProcProbe::fdTable(pid))
                writeEnds += fd.pipeInode == data.inode && fd.writeEnd;
        }
        QCOMPARE(writeEnds, 1);

        checkWatchdog(run, limit);
        const std::string text = run.watchdogText();
        QVERIFY2(contains(text,
                     std::to_string(reader) + " (reader) blocked in read(" + std::to_string(data.fd)
                         + "): pipe empty, write end kept open by " + std::to_string(cat) + " (cat) fd "
                         + std::to_string(data.fd2)),
            text.c_str());
        checkNothingLeft(run);
    }

    void atomicWritesNeverSplitUpToPipeBuf_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("records");
        QTest::addColumn<bool>("fixed");
        QTest::addColumn<bool>("atomic");
        QTest::newRow("1 byte") << "1"
                                << "400" << false << true;
        QTest::newRow("512") << "512"
                             << "200" << false << true;
        QTest::newRow("4000") << "4000"
                              << "100" << false << true;
        QTest::newRow("4096 = PIPE_BUF") << "4096"
                                         << "100" << false << true;
        QTest::newRow("256K, fixed: records cut to 4096") << "256K"
                                                          << "100" << true << true;
        QTest::newRow("256K: split") << "256K"
                                     << "8" << false << false;
    }

    void atomicWritesNeverSplitUpToPipeBuf()
    {
        QFETCH(QString, size);
        QFETCH(QString, records);
        QFETCH(bool, fixed);
        QFETCH(bool, atomic);
        PitfallRun run;
        QVERIFY(run.start("atomic-writes",
            {{"writers", "8"}, {"size", size.toStdString()}, {"records", records.toStdString()},
                {"fixed", fixed ? "true" : "false"}}));
        QVERIFY(run.finish(30000));
        const int splits = run.interleavings();
        QVERIFY2(splits >= 0, "the reader did not report");
        if (atomic) {
            QCOMPARE(splits, 0);
            QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
            // The kernel took every logged write whole.
            for (const Event &e : run.eventsOf(EventKind::Write)) {
                QVERIFY(e.requested <= PIPE_BUF);
                QCOMPARE(e.result, e.requested);
            }
        } else {
            // Larger writes are split and other writers' bytes land in between; the reader finds them.
            QVERIFY2(splits > 0, "no record was split");
            QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeFailed));
        }
        // Every writer is a process of its own, and its Write events (pid) tell whose chunk is whose.
        for (char w = 'A'; w < 'A' + 8; ++w) {
            const pid_t pid = run.pidOf(std::string("writer ") + w);
            QVERIFY(pid > 0);
            bool wrote = false;
            for (const Event &e : run.eventsOf(EventKind::Write)) {
                if (e.pid == pid) {
                    wrote = true;
                    QCOMPARE(e.textView().front(), w);
                }
            }
            QVERIFY(wrote);
        }
        const PipeInfo &p = run.state().pipes().front();
        QCOMPARE(p.read, p.written);
        checkNothingLeft(run);
    }

    void zombieUntilReaped()
    {
        PitfallRun run;
        QVERIFY(run.start("zombie", {{"zombie-ms", "1500"}}));
        QVERIFY(run.waitFor(kindIs(EventKind::Fork)) >= 0);
        const pid_t parent = run.pidOf("parent");
        const pid_t child = run.pidOf("child");
        const int exited
            = run.waitFor([child](const Event &e) { return e.kind == EventKind::Exited && e.pid == child; });
        QVERIFY2(exited >= 0, "the runner never saw the child exit");
        // Exited, not reaped: the kernel keeps it as a zombie with its exit status.
        const auto zombie = ProcProbe::probe(child);
        QVERIFY(zombie);
        QCOMPARE(zombie->state, 'Z');
        QVERIFY(WIFEXITED(zombie->exitCode) && WEXITSTATUS(zombie->exitCode) == 0);
        QVERIFY(run.eventsOf(EventKind::Wait).empty());
        const std::vector<pid_t> children = ProcProbe::children(parent);
        QVERIFY(std::find(children.begin(), children.end(), child) != children.end());

        const int waited
            = run.waitFor([child](const Event &e) { return e.kind == EventKind::Wait && e.otherPid == child; }, 10000);
        QVERIFY2(waited >= 0, "the parent never waited");
        // Reaped by waitpid: the kernel has let it go.
        QVERIFY(!ProcProbe::probe(child));
        const Event &wait = run.events()[static_cast<std::size_t>(waited)];
        const Event &exit = run.events()[static_cast<std::size_t>(exited)];
        QVERIFY2(wait.timeNs - exit.timeNs >= 750LL * 1000000, "the zombie did not last");
        QVERIFY(run.finish());
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        bool notedZ = false;
        for (const Event &e : run.eventsOf(EventKind::Note))
            notedZ |= e.pid == parent && contains(e.textView(), "in state Z");
        QVERIFY(notedZ);
        checkNothingLeft(run);
    }

    void fixedVersionsRunClean_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Assignments>("assignments");
        QTest::newRow("no-close-eof") << "no-close-eof" << Assignments {};
        QTest::newRow("epipe") << "epipe" << Assignments {};
        QTest::newRow("epipe, SIGPIPE ignored") << "epipe" << Assignments {{"ignore-sigpipe", "true"}};
        QTest::newRow("capacity") << "capacity" << Assignments {};
        QTest::newRow("capacity 4K, 1M through it") << "capacity" << Assignments {{"capacity", "4K"}, {"bytes", "1M"}};
        QTest::newRow("deadlock") << "deadlock" << Assignments {};
        QTest::newRow("deadlock 4M") << "deadlock" << Assignments {{"bytes", "4M"}};
        QTest::newRow("fd-leak-exec") << "fd-leak-exec" << Assignments {};
        QTest::newRow("atomic-writes") << "atomic-writes" << Assignments {};
        QTest::newRow("zombie") << "zombie" << Assignments {};
    }

    void fixedVersionsRunClean()
    {
        QFETCH(QString, name);
        QFETCH(Assignments, assignments);
        assignments.emplace_back("fixed", "true");
        assignments.emplace_back("watchdog-ms", "3000");
        PitfallRun run;
        QVERIFY2(run.start(name.toStdString(), assignments), run.error().c_str());
        QVERIFY(run.finish(30000));
        QCOMPARE(run.session().outcome(), static_cast<int>(OutcomeOk));
        QVERIFY(run.eventsOf(EventKind::Watchdog).empty());
        for (const ProcessInfo &p : run.state().processes()) {
            QVERIFY2(p.state == ProcessState::Reaped, p.role.c_str());
            QVERIFY2(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0, p.role.c_str());
        }
        for (const PipeInfo &p : run.state().pipes()) {
            if (p.creator == run.pidOf("parent") && p.written > 0 && !p.externalReader)
                QCOMPARE(p.read, p.written);
        }
        checkNothingLeft(run);
    }

    void cliExplainsADeadlockAndExits3()
    {
        const QString cli = qEnvironmentVariable("PIPESCOPE_CLI");
        if (cli.isEmpty())
            QSKIP("PIPESCOPE_CLI is not set (run through ctest)");
        QProcess process;
        process.start(cli,
            {QStringLiteral("run"), QStringLiteral("deadlock"), QStringLiteral("--set"),
                QStringLiteral("watchdog-ms=500")});
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 3);
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(out.contains(QLatin1String("WATCHDOG after 500 ms")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("(parent) blocked in write(")), qPrintable(out));
        QVERIFY2(err.contains(QLatin1String("watchdog")), qPrintable(err));
        // Every pid the run printed (runner, scenario processes) is gone.
        std::set<qint64> pids;
        const QRegularExpression pidPattern(
            QStringLiteral("^\\[\\s*[0-9.]+\\]\\s+(\\d+) "), QRegularExpression::MultilineOption);
        for (auto it = pidPattern.globalMatch(out); it.hasNext();)
            pids.insert(it.next().captured(1).toLongLong());
        QVERIFY(pids.size() >= 3);
        for (qint64 pid : pids)
            QVERIFY2(processGone(static_cast<pid_t>(pid)), qPrintable(QString::number(pid)));
        errno = 0;
        QVERIFY(waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD);
    }
};

QTEST_GUILESS_MAIN(TestPitfalls)
#include "tst_pitfalls.moc"
