#include "core/session/runsession.h"

#include "core/model/sharedstate.h"
#include "core/scenarios/scenariocatalog.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <new>

extern char **environ;

namespace pipescope
{

namespace
{

std::int64_t monotonicMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

std::string errnoText(const char *what, int err)
{
    return std::string(what) + ": " + std::strerror(err);
}

} // namespace

std::string RunSession::defaultRunnerPath()
{
    if (const char *env = std::getenv("PIPESCOPE_RUNNER"); env && *env)
        return env;
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return "pipescope-runner";
    std::string path(self, static_cast<std::size_t>(n));
    const auto slash = path.rfind('/');
    const std::string dir = path.substr(0, slash);
    // Installed layout keeps the runner in libexec; the build tree keeps it beside the programs.
    const std::string libexec = dir + "/../libexec/pipescope/pipescope-runner";
    if (access(libexec.c_str(), X_OK) == 0)
        return libexec;
    return dir + "/pipescope-runner";
}

std::unique_ptr<RunSession> RunSession::start(const RunRequest &request, std::string *error)
{
    const ResolvedScenario resolved = ScenarioCatalog::resolve(request.scenario, request.assignments);
    if (!resolved.ok()) {
        *error = resolved.error;
        return nullptr;
    }
    if (request.paceMs < 0 || request.paceMs > 60000) {
        *error = "pace: " + std::to_string(request.paceMs) + " ms is out of range (0 .. 60000)";
        return nullptr;
    }
    const std::string runner = request.runnerPath.empty() ? defaultRunnerPath() : request.runnerPath;
    if (access(runner.c_str(), X_OK) != 0) {
        *error = "cannot run the runner program " + runner + ": " + std::strerror(errno);
        return nullptr;
    }

    std::unique_ptr<RunSession> s(new RunSession);
    int events[2] = {-1, -1};
    int control[2] = {-1, -1};
    const int memfd = memfd_create("pipescope-shared", MFD_CLOEXEC);
    auto fail = [&](const std::string &text) {
        for (int fd : {events[0], events[1], control[0], control[1], memfd})
            if (fd >= 0)
                close(fd);
        s->m_eventFd = s->m_controlFd = -1;
        *error = text;
        return nullptr;
    };
    if (memfd < 0 || ftruncate(memfd, sizeof(SharedState)) < 0)
        return fail(errnoText("shared memory", errno));
    if (pipe2(events, O_CLOEXEC) < 0 || pipe2(control, O_CLOEXEC) < 0)
        return fail(errnoText("pipe2", errno));
    void *mem = mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    if (mem == MAP_FAILED)
        return fail(errnoText("mmap", errno));
    s->m_shared = new (mem) SharedState;
    s->m_shared->magic.store(kSharedMagic);
    s->m_shared->gateExits.store(request.gateExits ? 1 : 0);

    std::vector<std::string> args = {runner, "--scenario", request.scenario, "--mode", runModeName(request.mode),
        "--pace", std::to_string(request.paceMs), "--watchdog", std::to_string(request.watchdogMs), "--parent",
        std::to_string(getpid())};
    if (request.timeLimitMs > 0) {
        args.push_back("--time-limit");
        args.push_back(std::to_string(request.timeLimitMs));
    }
    for (const auto &[key, value] : request.assignments) {
        args.push_back("--set");
        args.push_back(key + "=" + value);
    }
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    // posix_spawn, not fork: the caller may be a multi-threaded GUI. The sources
    // are moved above the target numbers first, so a dup2 onto itself (which would
    // keep close-on-exec) cannot happen.
    const int outSrc = fcntl(events[1], F_DUPFD_CLOEXEC, 10);
    const int ctlSrc = fcntl(control[0], F_DUPFD_CLOEXEC, 10);
    const int memSrc = fcntl(memfd, F_DUPFD_CLOEXEC, 10);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, outSrc, kRunnerOutFd);
    posix_spawn_file_actions_adddup2(&actions, ctlSrc, kRunnerControlFd);
    posix_spawn_file_actions_adddup2(&actions, memSrc, kRunnerSharedFd);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGHUP})
        sigaddset(&defaults, sig);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, runner.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    for (int fd : {outSrc, ctlSrc, memSrc})
        close(fd);
    close(events[1]);
    close(control[0]);
    close(memfd);
    events[1] = control[0] = -1;
    if (rc != 0) {
        munmap(s->m_shared, sizeof(SharedState));
        s->m_shared = nullptr;
        return fail(errnoText(("starting " + runner).c_str(), rc));
    }
    s->m_runnerPid = pid;
    s->m_eventFd = events[0];
    s->m_controlFd = control[1];
    fcntl(s->m_eventFd, F_SETFL, O_NONBLOCK);
    return s;
}

RunSession::~RunSession()
{
    shutdown();
    if (m_eventFd >= 0)
        close(m_eventFd);
    if (m_controlFd >= 0)
        close(m_controlFd);
    if (m_shared)
        munmap(m_shared, sizeof(SharedState));
}

void RunSession::consume(std::vector<Event> *out, std::size_t from)
{
    for (std::size_t i = from; i < out->size(); ++i) {
        const Event &e = (*out)[i];
        if (e.kind == EventKind::RunStarted) {
            m_scenarioGroup = e.otherPid;
            m_startNs = e.timeNs;
        } else if (e.kind == EventKind::RunFinished) {
            m_outcome = e.status;
        }
    }
}

bool RunSession::readAvailable(std::vector<Event> *out)
{
    if (m_eof)
        return false;
    const std::size_t before = out->size();
    char chunk[64 * 1024];
    for (;;) {
        const ssize_t n = read(m_eventFd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break; // EAGAIN: nothing more for now
        if (n == 0) {
            m_eof = true;
            break;
        }
        m_buffer.insert(m_buffer.end(), chunk, chunk + n);
        if (static_cast<std::size_t>(n) < sizeof chunk)
            break;
    }
    const std::size_t whole = m_buffer.size() / sizeof(Event);
    for (std::size_t i = 0; i < whole; ++i) {
        Event e;
        std::memcpy(&e, m_buffer.data() + i * sizeof(Event), sizeof(Event));
        out->push_back(e);
    }
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(whole * sizeof(Event)));
    consume(out, before);
    if (m_eof) {
        reapRunner(true);
        m_finished = true;
        if (m_outcome < 0)
            m_outcome = OutcomeFailed; // the runner died without saying how it ended
    }
    return !m_eof;
}

bool RunSession::waitForEvents(std::vector<Event> *out, int timeoutMs)
{
    if (m_eof)
        return false;
    pollfd p {m_eventFd, POLLIN, 0};
    int r;
    do {
        r = poll(&p, 1, timeoutMs);
    } while (r < 0 && errno == EINTR);
    return readAvailable(out);
}

void RunSession::send(ControlMessage::Op op, int arg)
{
    if (m_controlFd < 0 || m_finished)
        return;
    ControlMessage msg;
    msg.op = op;
    msg.arg = arg;
    // A runner that is already gone must not kill the observer with SIGPIPE:
    // block it for this thread, and drop the one this write may raise.
    sigset_t pipeSet, old;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
    if (write(m_controlFd, &msg, sizeof msg) < 0 && errno == EPIPE) {
        const timespec zero {0, 0};
        sigtimedwait(&pipeSet, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void RunSession::step(int count)
{
    send(ControlMessage::Step, count);
}

void RunSession::stepProcess(pid_t pid)
{
    send(ControlMessage::StepProcess, pid);
}

void RunSession::setPace(int ms)
{
    send(ControlMessage::Pace, ms);
}

void RunSession::setFree()
{
    send(ControlMessage::Free, 0);
}

void RunSession::hold()
{
    send(ControlMessage::Hold, 0);
}

void RunSession::setGateExits(bool on)
{
    // Every process reads the word in the shared mapping itself: no message needed.
    if (m_shared)
        m_shared->gateExits.store(on ? 1 : 0);
}

void RunSession::cancel()
{
    send(ControlMessage::Cancel, 0);
}

void RunSession::reapRunner(bool block)
{
    if (m_runnerReaped || m_runnerPid <= 0)
        return;
    int status = 0;
    pid_t r;
    do {
        r = waitpid(m_runnerPid, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == m_runnerPid || (r < 0 && errno == ECHILD))
        m_runnerReaped = true;
}

void RunSession::shutdown(int timeoutMs)
{
    // No runner was ever started (start() failed half-way): nothing to stop, and
    // kill(-1) below would signal every process we may signal.
    if (m_runnerReaped || m_runnerPid <= 0)
        return;
    if (!m_finished)
        cancel();
    std::vector<Event> sink;
    const auto deadline = monotonicMs() + timeoutMs;
    while (!m_eof && monotonicMs() < deadline) {
        waitForEvents(&sink, 50);
        sink.clear();
    }
    if (!m_eof) {
        // The runner did not finish in time: take the tree down ourselves.
        if (m_scenarioGroup > 1)
            kill(-m_scenarioGroup, SIGKILL);
        kill(m_runnerPid, SIGKILL);
    }
    reapRunner(true);
    m_finished = true;
}

} // namespace pipescope
