#include "core/trace/stopwaiter.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <csignal>

namespace pipescope
{

StopWaiter::StopWaiter()
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &chld, &old);
    m_wasBlocked = sigismember(&old, SIGCHLD) == 1;
    // Without it (no signalfd) wait() still returns at its timeout: slower, never stuck.
    m_signalFd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
}

StopWaiter::~StopWaiter()
{
    if (m_signalFd >= 0)
        close(m_signalFd);
    if (!m_wasBlocked) {
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        pthread_sigmask(SIG_UNBLOCK, &chld, nullptr);
    }
}

bool StopWaiter::wait(int fd, int timeoutMs)
{
    pollfd fds[2] = {{m_signalFd, POLLIN, 0}, {fd, POLLIN, 0}};
    const int ready = poll(fds, fd >= 0 ? 2 : 1, timeoutMs);
    if (ready <= 0)
        return false;
    if (fds[0].revents & POLLIN) {
        // Drained: several stops may share one SIGCHLD, the caller's waitpid loop finds them all.
        signalfd_siginfo info[8];
        while (read(m_signalFd, info, sizeof info) > 0) { }
    }
    return fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

} // namespace pipescope
