#include "core/trace/stopdispatch.h"

#include <sys/ptrace.h>

#include <csignal>

namespace pipescope
{

TracedTask *StopDispatch::taskOf(TraceTree &tree, pid_t tid, int status)
{
    auto &tasks = tree.tasks();
    auto it = tasks.find(tid);
    if (it == tasks.end()) {
        // Adopted now, so that its Fork comes before its events; else held until the fork event names it.
        if (!tree.adoptUnknown(tid)) {
            tree.early()[tid] = status;
            return nullptr;
        }
        it = tasks.find(tid);
    }
    return it == tasks.end() ? nullptr : &it->second;
}

bool StopDispatch::dispatch(TraceTree &tree, SyscallStops &stops, SyscallStops::Host &host, TracedTask &task,
    int status, const std::function<void(pid_t, int)> &early)
{
    const int sig = WSTOPSIG(status);
    const int event = status >> 16;
    switch (event) {
    case PTRACE_EVENT_SECCOMP: stops.onSeccomp(task); return true;
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK:
    case PTRACE_EVENT_CLONE: {
        const pid_t parent = task.tid;
        if (const auto child = tree.onFork(task, event))
            early(child->first, child->second);
        // Handling the child may have added tasks (and moved the map's nodes' neighbours): find it again.
        if (const auto again = tree.tasks().find(parent); again != tree.tasks().end())
            host.resume(again->second);
        return true;
    }
    case PTRACE_EVENT_EXEC:
        tree.onExec(task);
        host.resume(task);
        return true;
    case PTRACE_EVENT_EXIT: return false;
    case PTRACE_EVENT_STOP:
        // A group-stop (SIGSTOP, Ctrl+Z) stays stopped until SIGCONT; any other
        // (a new task's first stop) goes on.
        if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
            ptrace(PTRACE_LISTEN, task.tid, 0, 0);
        else
            host.resume(task);
        return true;
    case 0:
        if (sig == (SIGTRAP | 0x80))
            stops.onSyscallStop(task);
        else
            host.resume(task, sig); // a signal for the program: deliver it
        return true;
    default: host.resume(task); return true;
    }
}

} // namespace pipescope
