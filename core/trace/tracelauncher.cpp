#include "core/trace/tracelauncher.h"

#include "core/trace/seccompfilter.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

extern char **environ;

namespace pipescope
{

namespace
{

/// execvp's search, done before fork: the child may only call async-signal-safe functions.
std::vector<std::string> candidates(const std::string &program)
{
    if (program.find('/') != std::string::npos)
        return {program};
    const char *env = std::getenv("PATH");
    const std::string path = env ? env : "/usr/local/bin:/bin:/usr/bin";
    std::vector<std::string> out;
    std::size_t begin = 0;
    for (;;) {
        const std::size_t end = path.find(':', begin);
        const std::string dir = path.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        out.push_back((dir.empty() ? std::string(".") : dir) + "/" + program);
        if (end == std::string::npos)
            return out;
        begin = end + 1;
    }
}

} // namespace

pid_t TraceLauncher::launch(
    const std::vector<std::string> &arguments, long ptraceOptions, std::string *problem, bool countOnly)
{
    const std::string &program = arguments.front();
    // Everything the child needs, built before fork.
    const std::vector<std::string> paths = candidates(program);
    std::vector<const char *> pathPointers;
    for (const std::string &p : paths)
        pathPointers.push_back(p.c_str());
    std::vector<char *> argv;
    for (const std::string &a : arguments)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<sock_filter> filter = SeccompFilter::program(countOnly);
    const sock_fprog fprog {static_cast<unsigned short>(filter.size()), filter.data()};
    sigset_t noSignals;
    sigemptyset(&noSignals);

    // The orphans of the tree come to us, so that every process gets reaped.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int sync[2];
    int errPipe[2];
    if (pipe2(sync, O_CLOEXEC) != 0 || pipe2(errPipe, O_CLOEXEC) != 0) {
        *problem = std::string("pipe2: ") + std::strerror(errno);
        return -1;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        *problem = std::string("fork: ") + std::strerror(errno);
        for (const int fd : {sync[0], sync[1], errPipe[0], errPipe[1]})
            close(fd);
        return -1;
    }
    if (pid == 0) {
        // The child: async-signal-safe calls only until exec.
        close(sync[1]);
        close(errPipe[0]);
        sigprocmask(SIG_SETMASK, &noSignals, nullptr);
        char c;
        // EOF once the parent has seized us: the filter's TRACE needs a tracer,
        // without one the traced calls would fail with ENOSYS.
        while (read(sync[0], &c, 1) < 0 && errno == EINTR) { }
        int err = 0;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
            || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
            err = errno;
        } else {
            bool denied = false;
            err = ENOENT;
            for (const char *path : pathPointers) {
                execve(path, argv.data(), environ);
                if (errno == EACCES)
                    denied = true;
                else if (errno != ENOENT && errno != ENOTDIR) {
                    err = errno;
                    break;
                }
            }
            if (denied && err == ENOENT)
                err = EACCES;
        }
        // The exec-error pipe: EOF in the parent means exec succeeded.
        while (write(errPipe[1], &err, sizeof err) < 0 && errno == EINTR) { }
        _exit(127);
    }
    close(sync[0]);
    close(errPipe[1]);
    if (ptrace(PTRACE_SEIZE, pid, 0, ptraceOptions) != 0) {
        *problem = std::string("cannot trace '") + program + "': ptrace: " + std::strerror(errno);
        kill(pid, SIGKILL);
        close(sync[1]);
        close(errPipe[0]);
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) { }
        return -1;
    }
    close(sync[1]);
    // Until it has exec'd, the child is ours (execve attempts, the error
    // pipe): its calls are let through without events.
    for (;;) {
        int status = 0;
        if (waitpid(pid, &status, __WALL) < 0) {
            if (errno == EINTR)
                continue;
            *problem = std::string("waitpid: ") + std::strerror(errno);
            close(errPipe[0]);
            return -1;
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            int err = 0;
            ssize_t n;
            while ((n = read(errPipe[0], &err, sizeof err)) < 0 && errno == EINTR) { }
            close(errPipe[0]);
            *problem = "cannot run '" + program
                + "': " + (n == sizeof err ? std::strerror(err) : std::string("it ended before exec"));
            return -1;
        }
        const int event = status >> 16;
        if (event == PTRACE_EVENT_EXEC)
            break;
        const int sig = WSTOPSIG(status);
        const bool signalStop = event == 0 && sig != (SIGTRAP | 0x80);
        ptrace(PTRACE_CONT, pid, 0, signalStop ? sig : 0);
    }
    close(errPipe[0]);
    return pid;
}

} // namespace pipescope
