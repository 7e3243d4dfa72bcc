// BlockWatch looks at real processes from outside: a process asleep in a read
// of an empty pipe is blocked, with the call and its fd named.
#include "core/model/sharedstate.h"
#include "core/run/blockwatch.h"
#include "core/run/procprobe.h"

#include <QDeadlineTimer>
#include <QtTest>

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <memory>

using namespace pipescope;

namespace
{

/// A child that sleeps for ever in a read of an empty pipe; killed and reaped when this goes.
class Sleeper
{
public:
    Sleeper()
    {
        if (pipe(m_fds) != 0)
            return;
        m_pid = fork();
        if (m_pid == 0) {
            char byte;
            (void)!read(m_fds[0], &byte, 1);
            _exit(0);
        }
    }
    ~Sleeper()
    {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
        close(m_fds[0]);
        close(m_fds[1]);
    }
    pid_t pid() const { return m_pid; }
    /// Waits (up to 5 s) until the kernel shows it asleep in a wait whose wchan starts so.
    bool asleepIn(const std::string &wchan) const
    {
        QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired()) {
            const auto probe = ProcProbe::probe(m_pid);
            if (probe && probe->sleeping() && probe->wchan.rfind(wchan, 0) == 0)
                return true;
            sched_yield();
        }
        return false;
    }

private:
    int m_fds[2] = {-1, -1};
    pid_t m_pid = -1;
};

std::vector<Event> lookAt(pid_t pid)
{
    auto shared = std::make_unique<SharedState>(); // held is 0: not at its gate
    std::map<pid_t, TrackedProcess> processes;
    TrackedProcess &t = processes[pid];
    t.pid = pid;
    t.slot = 0;
    t.started = true;
    std::vector<Event> out;
    BlockWatch::look(*shared, processes, &out);
    return out;
}

} // namespace

class TestBlockWatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aReadOnAnEmptyPipeIsABlock()
    {
        const Sleeper s;
        QVERIFY(s.pid() > 0);
        QVERIFY(s.asleepIn("anon_pipe_read") || s.asleepIn("pipe_read"));
        const std::vector<Event> out = lookAt(s.pid());
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(out.front().kind, EventKind::Blocked);
        QCOMPARE(out.front().requested, long {SYS_read});
        QVERIFY2(std::string(out.front().textView()).find("pipe empty") != std::string::npos,
            std::string(out.front().textView()).c_str());
    }
};

QTEST_GUILESS_MAIN(TestBlockWatch)
#include "tst_blockwatch.moc"
