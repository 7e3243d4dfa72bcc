#include "runharness.h"

#include "core/model/sharedstate.h"
#include "core/run/procprobe.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <set>

namespace pipescope::test
{

namespace
{

long long nowMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

} // namespace

bool RunHarness::start(const RunRequest &request)
{
    m_session = RunSession::start(request, &m_error);
    if (m_session)
        m_runnerPid = m_session->runnerPid();
    return m_session != nullptr;
}

bool RunHarness::pump(int timeoutMs)
{
    std::vector<Event> batch;
    const bool more = m_session->waitForEvents(&batch, timeoutMs);
    for (const Event &e : batch) {
        m_events.push_back(e);
        m_state.apply(e);
    }
    m_state.applyCounters(m_session->shared());
    return more || !batch.empty();
}

int RunHarness::waitFor(const std::function<bool(const Event &)> &predicate, int timeoutMs)
{
    const long long deadline = nowMs() + timeoutMs;
    for (;;) {
        while (m_cursor < m_events.size()) {
            const std::size_t i = m_cursor++;
            if (predicate(m_events[i]))
                return static_cast<int>(i);
        }
        const long long left = deadline - nowMs();
        if (left <= 0 || m_session->finished())
            return -1;
        pump(static_cast<int>(left < 100 ? left : 100));
    }
}

bool RunHarness::waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    const long long deadline = nowMs() + timeoutMs;
    while (!condition()) {
        const long long left = deadline - nowMs();
        if (left <= 0 || m_session->finished())
            return false;
        pump(static_cast<int>(left < 100 ? left : 100));
    }
    m_cursor = m_events.size();
    return true;
}

bool RunHarness::finish(int timeoutMs)
{
    const long long deadline = nowMs() + timeoutMs;
    while (!m_session->finished()) {
        const long long left = deadline - nowMs();
        if (left <= 0)
            return false;
        pump(static_cast<int>(left < 100 ? left : 100));
    }
    m_state.applyCounters(m_session->shared());
    return true;
}

std::vector<Event> RunHarness::eventsOf(EventKind kind) const
{
    std::vector<Event> out;
    for (const Event &e : m_events) {
        if (e.kind == kind)
            out.push_back(e);
    }
    return out;
}

std::vector<int> RunHarness::allPids() const
{
    std::set<int> pids;
    if (m_runnerPid > 0)
        pids.insert(m_runnerPid);
    for (const ProcessInfo &p : m_state.processes())
        pids.insert(p.pid);
    return {pids.begin(), pids.end()};
}

ResourceSnapshot ResourceSnapshot::take()
{
    return {ProcProbe::countOpenFds()};
}

bool noChildrenLeft()
{
    errno = 0;
    return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

std::string leftBehind(const RunHarness &run, const ResourceSnapshot &before)
{
    std::string out;
    if (!noChildrenLeft())
        out += "a zombie or child is left\n";
    for (int pid : run.allPids())
        if (!processGone(pid))
            out += "pid " + std::to_string(pid) + " still exists\n";
    const int fds = ResourceSnapshot::take().fds;
    if (fds != before.fds)
        out += std::to_string(fds) + " fds open, " + std::to_string(before.fds) + " before\n";
    return out;
}

bool processGone(int pid)
{
    errno = 0;
    return kill(pid, 0) == -1 && errno == ESRCH;
}

bool waitDead(int pid, int timeoutMs)
{
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0)
        return errno == ESRCH;
    pollfd p {fd, POLLIN, 0};
    int r;
    do {
        r = poll(&p, 1, timeoutMs);
    } while (r < 0 && errno == EINTR);
    close(fd);
    return r == 1;
}

} // namespace pipescope::test
