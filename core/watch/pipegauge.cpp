#include "core/watch/pipegauge.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pipescope
{

PipeLevel PipeGauge::measure(pid_t pid, int fd)
{
    // A pidfd names this process, not a pid that may have been reused since we looked.
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0)
        return {};
    const PipeLevel level = measureVia(pidfd, fd, true);
    close(pidfd);
    return level;
}

PipeLevel PipeGauge::measureVia(int pidfd, int fd, bool withCapacity)
{
    PipeLevel level;
    // The copy comes close-on-exec: a command we fork later never inherits it.
    const int copy = pidfd < 0 ? -1 : static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0));
    if (copy < 0)
        return level;
    int bytes = 0;
    if (ioctl(copy, FIONREAD, &bytes) == 0)
        level.fill = bytes;
    if (withCapacity) {
        const int size = fcntl(copy, F_GETPIPE_SZ);
        if (size > 0)
            level.capacity = size;
    }
    close(copy);
    return level;
}

} // namespace pipescope
