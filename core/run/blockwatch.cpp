#include "core/run/blockwatch.h"

#include "core/model/sharedstate.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace pipescope
{

void BlockWatch::look(SharedState &shared, std::map<pid_t, TrackedProcess> &processes, std::vector<Event> *out)
{
    for (auto &[pid, t] : processes) {
        // Not before it registered: its first event is its ProcessStarted.
        if (!t.live() || !t.started)
            continue;
        const auto probe = ProcProbe::probe(pid);
        // A zombie is not woken: its Exited event is on the way.
        if (!probe || probe->zombie())
            continue;
        t.lastProbe = *probe;
        const bool held = t.slot >= 0 && shared.processes[t.slot].held.load() == 1;
        const std::string text = held ? std::string() : probe->describe();
        const bool blocked = !text.empty() && probe->sleeping();
        if (blocked == t.blocked && text == t.blockedText)
            continue;
        Event e;
        e.kind = blocked ? EventKind::Blocked : EventKind::Woken;
        e.pid = pid;
        e.slot = t.slot;
        e.fd = static_cast<int>(probe->arg0);
        e.requested = probe->syscall;
        e.setText(blocked ? text + " [" + probe->wchan + "]" : std::string("running"));
        e.result = -1;
        if (blocked && probe->wchan.find("pipe_write") != std::string::npos)
            measureFullPipe(shared, t, e);
        if (blocked || t.blocked)
            out->push_back(e);
        t.blocked = blocked;
        t.blockedText = text;
    }
}

void BlockWatch::measureFullPipe(SharedState &shared, const TrackedProcess &t, Event &e)
{
    // Borrow the blocked writer's own write end (pidfd_getfd) and ask the kernel
    // how many bytes the pipe holds. Safe: while the writer sleeps in write()
    // it keeps that end open itself, so one more writer for a moment changes
    // neither EOF nor EPIPE for anyone.
    if (t.pidfd < 0 || e.fd < 0)
        return;
    const int fd = static_cast<int>(syscall(SYS_pidfd_getfd, t.pidfd, e.fd, 0));
    if (fd < 0)
        return;
    int bytes = -1;
    struct stat st {
    };
    if (ioctl(fd, FIONREAD, &bytes) == 0 && fstat(fd, &st) == 0) {
        e.result = bytes;
        e.inode = st.st_ino;
        if (const int slot = shared.findPipe(st.st_ino); slot >= 0) {
            auto &maxFill = shared.pipes[slot].maxFill;
            if (bytes > maxFill.load())
                maxFill.store(bytes);
        }
    }
    close(fd);
}

void BlockWatch::sampleFill(SharedState &shared)
{
    // At full speed writers do not compute the fill; a look every tick instead.
    const int n = std::min(shared.pipeCount.load(), SharedState::kMaxPipes);
    for (int i = 0; i < n; ++i) {
        SharedPipe &p = shared.pipes[i];
        const std::int64_t fill = std::clamp<std::int64_t>(p.written.load() - p.read.load(), 0, p.capacity.load());
        if (fill > p.maxFill.load())
            p.maxFill.store(fill);
    }
}

} // namespace pipescope
