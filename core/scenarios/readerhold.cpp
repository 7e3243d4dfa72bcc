#include "core/scenarios/readerhold.h"

#include "core/run/procprobe.h"
#include "core/run/tracee.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace pipescope
{

namespace
{

int bytesIn(int fd)
{
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

bool noWriterLeft(int fd)
{
    // POLLHUP on a read end: the kernel says every write end is closed.
    pollfd p {fd, POLLIN, 0};
    int r;
    do {
        r = poll(&p, 1, 0);
    } while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

void nap(int ms)
{
    // A raw nanosleep, not Tracee::sleepMs: these naps only space out the looks
    // at the kernel, and an event for each would bury the run's own calls.
    timespec ts {0, static_cast<long>(ms) * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) { }
}

} // namespace

ReaderHold::Seen ReaderHold::untilWriterBlocked(Tracee &self, pid_t writer, int readFd)
{
    const int capacity = fcntl(readFd, F_GETPIPE_SZ);
    const std::string who = "writer " + std::to_string(writer);
    self.note("reader: holds off until the kernel puts the " + who + " to sleep in write() (it watches /proc/"
        + std::to_string(writer) + "/wchan and FIONREAD)");
    for (int napMs = 1;; napMs = std::min(2 * napMs, kMaxLookMs)) {
        const auto probe = ProcProbe::probe(writer);
        const int held = bytesIn(readFd);
        const std::string fill = std::to_string(held) + " of " + std::to_string(capacity) + " bytes";
        if (probe && probe->sleeping() && probe->wchan.find("pipe_write") != std::string::npos) {
            self.note(
                "reader: the " + who + " sleeps in the kernel (wchan " + probe->wchan + "); the pipe holds " + fill);
            return Seen::WriterBlocked;
        }
        // Some kernels show wchan as 0: then a full pipe and a sleeping writer is the most they tell.
        if (probe && probe->sleeping() && probe->wchan.empty() && capacity > 0 && held >= capacity) {
            self.note("reader: the pipe holds " + fill + " and the " + who
                + " sleeps (this kernel hides where): its next write must wait");
            return Seen::PipeFull;
        }
        if (!probe || probe->zombie() || noWriterLeft(readFd)) {
            self.note("reader: every write end is closed before the pipe filled (it holds " + fill
                + "); nothing to wait for");
            return Seen::WriterDone;
        }
        nap(napMs);
    }
}

} // namespace pipescope
