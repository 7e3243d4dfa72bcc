#pragma once

#include "core/model/event.h"
#include "core/trace/ioledger.h"
#include "core/trace/tracedprocess.h"
#include "core/trace/tracedtask.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace pipescope
{

/// The system-call stops of a traced tree, strace-style: a seccomp stop (the
/// entry of a call the filter traces), a PTRACE_SYSCALL entry stop (attached:
/// no seccomp, so every call stops and the numbers are filtered here) and the
/// exit stop of a call whose result matters. Each entry may be held at its
/// gate (step, slow motion); each exit turns into the model's events
/// (SyscallDecoder). Also looks for tasks asleep in a pipe call for a while.
class SyscallStops
{
public:
    /// A pipe call this long in the kernel is worth a look in /proc.
    static constexpr int kLookMs = 100;

    /// What the stops need of the tracer that owns the tree.
    class Host
    {
    public:
        virtual ~Host() = default;
        /// The process of tgid (created empty when unknown).
        virtual TracedProcess &process(pid_t tgid) = 0;
        /// A process of the tree, or null.
        virtual TracedProcess *findProcess(pid_t pid) = 0;
        virtual void report(Event event) = 0;
        /// Lets the task go on (PTRACE_SYSCALL when its exit stop is wanted).
        virtual void resume(const TracedTask &task, int signal = 0) = 0;
        /// Step and slow motion: holds the task at its call's entry. Returns true when
        /// the host keeps it stopped and resumes it later itself (the runner's gates);
        /// false when the task may go on now (held already, or not held at all).
        virtual bool hold(TracedTask &task) = 0;
        virtual void flushFailedExec(TracedProcess &process) = 0;
    };

    explicit SyscallStops(Host &host) : m_host(host) { }
    /// Attached: by syscall number, the calls worth an entry stop.
    void setTraced(std::vector<bool> traced) { m_traced = std::move(traced); }
    /// Count-only: every exit stop tells the ledger what the process holds; null: none.
    void setLedger(IoLedger *ledger) { m_ledger = ledger; }

    /// A PTRACE_EVENT_SECCOMP stop: the entry of a filtered call.
    void onSeccomp(TracedTask &task);
    /// A PTRACE_SYSCALL stop: an entry (attached: no seccomp) or an exit.
    void onSyscallStop(TracedTask &task);
    /// A stop that waits while another task is held at its gate: the GateWait
    /// it will get (what it is about to do), read without acting on the call;
    /// nothing when the stop is not the entry of a call PipeScope holds.
    std::optional<Event> preview(TracedTask &task, bool seccomp);
    /// Blocked events for tasks asleep in a pipe call for a while (/proc: state,
    /// wchan); looks at most every kLookMs.
    void lookForBlocked(std::map<pid_t, TracedTask> &tasks);

private:
    void onEntry(TracedTask &task, int nr, const std::uint64_t *args);
    void onExit(TracedTask &task, std::int64_t rval);

    Host &m_host;
    std::vector<bool> m_traced;
    IoLedger *m_ledger = nullptr;
    std::int64_t m_lastLookNs = 0;
};

} // namespace pipescope
