#pragma once

namespace pipescope
{

/// Waits for a tracee's next stop or exit and for one more fd at once (the
/// control fd of pipescope-cli trace --control-fd), without a busy loop: the
/// kernel's SIGCHLD to the tracer is read from a signalfd, polled with the fd.
/// SIGCHLD is blocked in the calling thread while the waiter lives (the
/// launcher resets the mask of the programs it starts).
class StopWaiter
{
public:
    StopWaiter();
    ~StopWaiter();
    StopWaiter(const StopWaiter &) = delete;
    StopWaiter &operator=(const StopWaiter &) = delete;

    /// Returns once a SIGCHLD came, fd (when >= 0) can be read or hung up, a
    /// signal interrupted the wait, or timeoutMs passed (-1: no limit).
    /// True when fd is ready. The caller then drains waitpid(WNOHANG).
    bool wait(int fd, int timeoutMs);

private:
    int m_signalFd = -1;
    bool m_wasBlocked = false;
};

} // namespace pipescope
