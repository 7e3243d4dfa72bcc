#pragma once

#include "core/model/event.h"
#include "core/trace/syscallstops.h"
#include "core/trace/tracedprocess.h"
#include "core/trace/tracedtask.h"
#include "core/trace/tracetree.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace pipescope
{

struct SharedState;

/// The runner's tracer of the programs that scenario processes exec (cat in
/// `subprocess` and `fd-leak-exec`). A process about to exec is PTRACE_SEIZEd
/// when its Exec event reaches the runner, then installs core/trace's seccomp
/// filter itself and execs; from then on each of its pipe calls stops here and
/// becomes what a scenario process's own call is: the same events, the same
/// shared counters (exact bytes), the same gates (held in its syscall-entry
/// stop). Exits stay the runner's (pidfd, waitpid): at a task's exit stop it is
/// let go, so its real parent reaps it as if it had never been traced.
///
/// Single-threaded: the runner's loop calls handle() with what its waitpid got.
class ExecTracer : private SyscallStops::Host
{
public:
    using Sink = std::function<void(Event &)>;

    /// sink: where the events go (the runner's own path for the tree's events).
    explicit ExecTracer(Sink sink);
    ExecTracer(const ExecTracer &) = delete;
    ExecTracer &operator=(const ExecTracer &) = delete;

    /// shared: counters, gate mode and process slots; telemetryInode: the
    /// runner's own pipe, whose fd a process has until exec and which is never a lesson's.
    void attach(SharedState *shared, std::uint64_t telemetryInode);
    /// exec: a scenario process's Exec event; it waits at its exec until told. Seizes
    /// it (unless cancelled), marks the event kExecStatusTraced and lets it go on.
    /// False when it runs untraced: *why says why, empty when execs are not traced at all.
    bool takeOver(Event &exec, pid_t parent, bool cancelled, std::string *why);
    /// True when waitpid statuses of tid are the tracer's.
    bool traces(pid_t tid) { return m_tree.tasks().count(tid) != 0 || m_early.count(tid) != 0; }
    /// A waitpid status of a traced task. Returns true only for the end of a
    /// process the runner really reaped (it was its parent: an orphan that came
    /// to the subreaper); any other status was the tracer's alone.
    bool handle(pid_t tid, int status);
    /// Its gate opened: the task held in its syscall-entry stop goes on. False when none is held.
    bool release(pid_t tid);
    /// The task of process pid held at its gate now, or 0.
    pid_t heldTask(pid_t pid) const;

private:
    /// Seizes pid: false with *why when ptrace refuses.
    bool seize(pid_t pid, pid_t parent, int slot, const std::string &role, std::string *why);
    // SyscallStops::Host
    TracedProcess &process(pid_t tgid) override { return m_tree.processes()[tgid]; }
    TracedProcess *findProcess(pid_t pid) override;
    void report(Event event) override;
    void resume(const TracedTask &task, int signal = 0) override;
    bool hold(TracedTask &task) override;
    void flushFailedExec(TracedProcess &process) override { m_tree.flushFailedExec(process); }

    /// Counts a data call's bytes in the shared counters, as Tracee does; false when
    /// the event itself is not worth sending (full speed, past the first few).
    bool count(const Event &e, int slot);
    /// Quiz mode: holds a process at its exit stop, as Tracee::exit waits at its gate; false when not held.
    bool holdExit(TracedTask &task);
    /// A new process of the traced tree: a process slot, and ProcessStarted after its Fork.
    void started(pid_t child, pid_t parent, const std::string &role);
    /// A task is gone (exit stop or death): forgets it, and its process when it led it.
    void forget(pid_t tid);

    Sink m_sink;
    SharedState *m_shared = nullptr;
    std::uint64_t m_telemetryInode = 0;
    TraceTree m_tree;
    SyscallStops m_stops;
    std::map<pid_t, int> &m_early = m_tree.early();
    std::map<pid_t, int> m_slots; ///< process -> its slot in the shared state (-1: none left)
    std::map<pid_t, int> m_dataEventsLeft; ///< process -> data events it may still send at full speed
    std::set<pid_t> m_awaitingExec; ///< seized at their Exec, which their Tracee told already
    std::map<pid_t, pid_t> m_held; ///< process -> its task held at its gate
    std::set<pid_t> m_exiting; ///< tasks held at their exit stop (quiz mode): released by a detach
};

} // namespace pipescope
