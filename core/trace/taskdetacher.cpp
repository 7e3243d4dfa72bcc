#include "core/trace/taskdetacher.h"

#include <sys/ptrace.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>

namespace pipescope
{

void TaskDetacher::detachFromStop(pid_t tid, int status)
{
    const int event = status >> 16;
    const int sig = WSTOPSIG(status);
    // A signal-delivery stop: the signal is passed on, as if nobody had looked.
    const bool signalStop = event == 0 && sig != (SIGTRAP | 0x80);
    ptrace(PTRACE_DETACH, tid, 0, signalStop ? sig : 0);
}

int TaskDetacher::detachAll(const std::set<pid_t> &running, const std::map<pid_t, int> &stopped)
{
    int detached = 0;
    std::set<pid_t> pending;
    std::set<pid_t> done;
    for (const pid_t tid : running) {
        // ESRCH: it is exiting; its exit still comes to waitpid.
        ptrace(PTRACE_INTERRUPT, tid, 0, 0);
        pending.insert(tid);
    }
    for (const auto &[tid, status] : stopped) {
        if (WIFSTOPPED(status)) {
            detachFromStop(tid, status);
            done.insert(tid);
            ++detached;
        }
    }
    while (!pending.empty()) {
        int status = 0;
        const pid_t tid = waitpid(-1, &status, __WALL);
        if (tid < 0) {
            if (errno == EINTR)
                continue;
            break; // ECHILD: no tracee left at all
        }
        pending.erase(tid);
        if (!WIFSTOPPED(status))
            continue; // it exited before it could stop
        const int event = status >> 16;
        if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
            // The new task is traced already: its first stop comes, and is detached, too.
            unsigned long child = 0;
            ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
            if (!done.count(static_cast<pid_t>(child)))
                pending.insert(static_cast<pid_t>(child));
        }
        detachFromStop(tid, status);
        done.insert(tid);
        ++detached;
    }
    return detached;
}

} // namespace pipescope
