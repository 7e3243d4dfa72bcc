#include "core/watch/commandlauncher.h"

#include "core/run/procprobe.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pipescope
{

CommandLauncher::~CommandLauncher()
{
    stopGuardian();
    if (m_pidfd >= 0)
        close(m_pidfd);
}

void CommandLauncher::startGuardian()
{
    // The command dies with us through PR_SET_PDEATHSIG, but its own children do not:
    // killed by SIGKILL we run no code, so a process that outlives us does the killing.
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0)
        return; // no guardian: a SIGKILL of ours may leave the command's children behind
    const pid_t group = m_pid;
    const pid_t pid = fork();
    if (pid < 0) {
        close(ends[0]);
        close(ends[1]);
        return;
    }
    if (pid == 0) {
        // Async-signal-safe calls only (the GUI forks this from a multi-threaded process).
        // It holds nothing of ours: no terminal, no pipe whose EOF it could delay.
        const int keep = ends[0];
        if (keep > 0)
            syscall(SYS_close_range, 0U, static_cast<unsigned>(keep - 1), 0U);
        syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0U, 0U);
        struct sigaction ignore {
        };
        ignore.sa_handler = SIG_IGN;
        for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE})
            sigaction(sig, &ignore, nullptr); // a terminal's Ctrl+C is for the watcher to handle
        char c;
        while (read(keep, &c, 1) < 0 && errno == EINTR) { }
        kill(-group, SIGKILL);
        _exit(0);
    }
    close(ends[0]);
    m_guardian = pid;
    m_guardianPipe = ends[1];
}

void CommandLauncher::stopGuardian()
{
    // Killed first, then its pipe closed: a guardian told to stop must not kill a group
    // whose number a new process may have by now.
    if (m_guardian > 0) {
        kill(m_guardian, SIGKILL);
        while (waitpid(m_guardian, nullptr, 0) < 0 && errno == EINTR) { }
        m_guardian = -1;
    }
    if (m_guardianPipe >= 0) {
        close(m_guardianPipe);
        m_guardianPipe = -1;
    }
}

bool CommandLauncher::start(const std::vector<std::string> &argv, std::string *problem)
{
    if (argv.empty()) {
        *problem = "no command to run";
        return false;
    }
    // Everything the child needs is built before fork: after it, only async-signal-safe calls.
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    // EOF on this pipe means exec succeeded; otherwise the child writes its errno.
    int errPipe[2];
    if (pipe2(errPipe, O_CLOEXEC) != 0) {
        *problem = std::string("pipe2: ") + std::strerror(errno);
        return false;
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1); // orphans of the tree come back to us, to be reaped
    std::fflush(nullptr); // fork duplicates unflushed stdio buffers
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        *problem = std::string("fork: ") + std::strerror(errno);
        close(errPipe[0]);
        close(errPipe[1]);
        return false;
    }
    if (pid == 0) {
        setpgid(0, 0);
        // If the watcher dies, the command goes too rather than running on unwatched.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        // The command starts with the dispositions and mask a shell would give it.
        struct sigaction dfl {
        };
        dfl.sa_handler = SIG_DFL;
        for (const int sig : {SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGCHLD})
            sigaction(sig, &dfl, nullptr);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execvp(args[0], args.data());
        const int err = errno;
        while (write(errPipe[1], &err, sizeof err) < 0 && errno == EINTR) { }
        _exit(127);
    }
    setpgid(pid, pid); // also here: the group exists before either side goes on
    close(errPipe[1]);
    int err = 0;
    ssize_t n;
    while ((n = read(errPipe[0], &err, sizeof err)) < 0 && errno == EINTR) { }
    close(errPipe[0]);
    m_pid = pid;
    if (n == static_cast<ssize_t>(sizeof err)) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
        m_reaped = true;
        m_status = status;
        *problem = "cannot run '" + argv[0] + "': " + std::strerror(err);
        return false;
    }
    m_pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    startGuardian();
    return true;
}

std::vector<std::pair<pid_t, int>> CommandLauncher::reapExited()
{
    std::vector<std::pair<pid_t, int>> out;
    for (;;) {
        int status = 0;
        const pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid <= 0)
            break;
        if (pid == m_guardian) { // killed from outside: it guards no more
            m_guardian = -1;
            continue;
        }
        if (pid == m_pid) {
            m_reaped = true;
            m_status = status;
        }
        out.emplace_back(pid, status);
    }
    return out;
}

bool CommandLauncher::anyChildLeft() const
{
    if (m_guardian <= 0) {
        siginfo_t info {};
        // WNOWAIT: look without reaping; ECHILD when there is no child at all.
        return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
    }
    // The guardian lives as long as we do: any other child (zombies included) counts.
    for (const pid_t child : ProcProbe::children(getpid()))
        if (child != m_guardian)
            return true;
    return false;
}

std::vector<std::pair<pid_t, int>> CommandLauncher::killAndReapAll()
{
    std::vector<std::pair<pid_t, int>> out;
    if (m_pid > 0 && !m_reaped)
        kill(-m_pid, SIGKILL);
    stopGuardian(); // reaped here, so the loop below ends at ECHILD
    for (;;) {
        // Descendants that left the group (setsid) are found through /proc and killed by pid.
        std::vector<pid_t> queue = ProcProbe::children(getpid());
        while (!queue.empty()) {
            const pid_t pid = queue.back();
            queue.pop_back();
            kill(pid, SIGKILL);
            for (const pid_t child : ProcProbe::children(pid))
                queue.push_back(child);
        }
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            break; // ECHILD: nothing is left
        if (pid == m_pid) {
            m_reaped = true;
            m_status = status;
        }
        out.emplace_back(pid, status);
    }
    return out;
}

} // namespace pipescope
