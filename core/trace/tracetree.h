#pragma once

#include "core/model/event.h"
#include "core/trace/ioledger.h"
#include "core/trace/tracedprocess.h"
#include "core/trace/tracedtask.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pipescope
{

/// The traced tree's tasks and processes and its lifecycle stops: a fork or
/// clone (a new task, a new process with a copy of its parent's fd table),
/// an exec (the fd table read again, the ends close-on-exec dropped told as
/// closes) and an exit (Exited, and Reaped when the tracer is the one that
/// reaped it). It reports events; resuming the tasks is the tracer's.
class TraceTree
{
public:
    using Report = std::function<void(Event)>;

    explicit TraceTree(Report report) : m_report(std::move(report)) { }
    /// self: the tracer's pid; attached: the tree was attached to (its
    /// processes are reaped by their own parents, never by the tracer).
    void setSelf(pid_t self, bool attached)
    {
        m_self = self;
        m_attach = attached;
    }
    void setRoot(pid_t root) { m_root = root; }
    /// Count-only: forks and execs tell the ledger; null: none.
    void setLedger(IoLedger *ledger) { m_ledger = ledger; }

    std::map<pid_t, TracedTask> &tasks() { return m_tasks; }
    std::map<pid_t, TracedProcess> &processes() { return m_processes; }
    /// Stops of new tasks seen before their parent's fork event.
    std::map<pid_t, int> &early() { return m_early; }
    /// The root's raw wait status, once it exited.
    int rootStatus() const { return m_rootStatus; }

    TracedProcess &addProcess(pid_t pid, pid_t parent, const std::string &role);
    void addTask(pid_t tid, pid_t tgid);
    /// Reports a held-back failed exec (the PATH search failed for good).
    void flushFailedExec(TracedProcess &process);
    /// Registers a new task; a new process gets its Fork event and a copy of the parent's fd table.
    void adopt(pid_t child, pid_t parentPid, bool thread, std::int64_t startNs);
    /// A stop of tid, a task not known yet: its first stop can come before its parent's
    /// fork event, so it is adopted now from /proc (its thread group or its parent).
    /// False when its parent is not known yet either: keep its stop for the fork event.
    bool adoptUnknown(pid_t tid);
    /// A PTRACE_EVENT_FORK, VFORK or CLONE stop of task: the child adopted.
    /// Returns the child and its own stop when that came first, for the caller to handle now.
    std::optional<std::pair<pid_t, int>> onFork(TracedTask &task, int event);
    /// A PTRACE_EVENT_EXEC stop of task.
    void onExec(TracedTask &task);
    /// waitpid said tid exited (status: raw wait status).
    void onExit(pid_t tid, int status);
    /// At the end: Reaped for every process whose exit came but whose reaping did not.
    void reapTheRest();

    /// One PipeCreated per pipe end pid holds at its stdin, stdout or stderr
    /// that it did not make under the trace (inherited, e.g. a shell
    /// pipeline's): text "inherited", fd for a read end or fd2 for a write end
    /// (the other -1), status its flags. Pipes at higher fds are left out.
    static std::vector<Event> inheritedEnds(pid_t pid, const FdTable &fds);
    /// The program name of a command line ("/bin/cat -n" -> "cat").
    static std::string baseName(const std::string &text);

private:
    void report(EventKind kind, pid_t pid, pid_t other, std::string_view text, int status = 0);

    Report m_report;
    pid_t m_self = 0;
    pid_t m_root = 0;
    bool m_attach = false;
    int m_rootStatus = 0;
    IoLedger *m_ledger = nullptr;
    std::map<pid_t, TracedTask> m_tasks;
    std::map<pid_t, TracedProcess> m_processes;
    std::map<pid_t, int> m_early;
};

} // namespace pipescope
