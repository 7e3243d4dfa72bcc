#pragma once

#include "core/model/event.h"
#include "core/trace/derivedbytes.h"
#include "core/trace/fdtable.h"
#include "core/trace/ioledger.h"
#include "core/trace/stepgate.h"
#include "core/trace/syscallstops.h"
#include "core/trace/tracedprocess.h"
#include "core/trace/tracedtask.h"
#include "core/trace/traceoptions.h"
#include "core/trace/tracetree.h"

#include <sys/types.h>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pipescope
{

/// Runs a program under ptrace and reports every pipe-related event of its
/// whole process tree, in the model's events (the same kinds and fields as a
/// built-in scenario's run). The child installs a seccomp-bpf filter before
/// exec, so only the calls that can touch a pipe or the tree stop it.
///
/// Single-threaded by design: the thread that calls start() is the tracer and
/// must also call run(); it becomes a child subreaper so that it can reap the
/// orphans of the tree. The program's stdin, stdout and stderr are the caller's.
class Tracer : private SyscallStops::Host
{
public:
    using Sink = std::function<void(const Event &)>;
    /// Step mode: called with the GateWait event of a held process; returns
    /// when it may go on. Returning false lets every process run free from then on.
    using Gate = std::function<bool(const Event &)>;

    explicit Tracer(Sink sink) : m_sink(std::move(sink)), m_tree([this](const Event &e) { report(e); }), m_stops(*this)
    {
        m_step.setWhileHeld([this] { collectWhileHeld(); });
    }
    ~Tracer() override;
    Tracer(const Tracer &) = delete;
    Tracer &operator=(const Tracer &) = delete;

    void setGate(Gate gate) { m_step.setPrompt(std::move(gate)); }
    /// Runtime control from another process (pipescope-cli trace --control-fd):
    /// run() and a hold poll fd and call onReadable when it can be read or has
    /// hung up; onReadable may call setMode, releaseHeld or setControl(-1, {}).
    /// Set before run(). In step mode the control, not the Gate, ends a hold.
    void setControl(int fd, std::function<void()> onReadable) { m_step.setControl(fd, std::move(onReadable)); }
    /// Changes the mode while tracing: applies from the next pipe-related call;
    /// a process held at its gate goes on unless the new mode is Step.
    void setMode(TraceOptions::Mode mode, int paceMs = 0) { m_step.setMode(mode, paceMs); }
    /// Step: lets the process held at its gate go; nothing is remembered when none is.
    void releaseHeld() { m_step.releaseHeld(); }
    /// Starts the program and waits until it has exec'd. On failure returns
    /// false with one line in *problem (`cannot run 'x': No such file or
    /// directory`), having reaped the child: nothing is left behind.
    bool start(const TraceOptions &options, std::string *problem);
    /// Attaches to the running process options.attachPid, its descendants and
    /// (options.followPipes) the holders of their pipes: every thread
    /// PTRACE_SEIZEd, no seccomp (every call stops; the numbers are filtered
    /// here). On a refusal returns false with one line in *problem and
    /// nothing done to the target.
    bool attach(const TraceOptions &options, std::string *problem);
    /// Traces until every process of the tree has exited and been reaped;
    /// returns the program's raw wait status. Attached: until every attached
    /// process has exited or a cancel, which detaches every thread (nothing is
    /// killed); returns 0.
    int run();
    bool attached() const { return m_attach; }
    /// Tasks let go by the detach at the end of an attached run.
    int detachedTasks() const { return m_detached; }
    /// Async-signal-safe: stop the run (SIGTERM to the tree, SIGKILL after a grace).
    static void requestCancel();
    bool cancelled() const { return m_killing; }
    pid_t rootPid() const { return m_root; }
    /// Count-only: the bytes per pipe derived from /proc/PID/io, after run().
    const DerivedBytes &derivedBytes() const { return m_derived; }

private:
    using Task = TracedTask;
    using Process = TracedProcess;

    void handle(pid_t tid, int status);
    /// Attached, at the end: every task let go, exactly as it was.
    void detachAll();
    // SyscallStops::Host
    Process &process(pid_t tgid) override { return m_processes[tgid]; }
    Process *findProcess(pid_t pid) override;
    void resume(const Task &task, int signal = 0) override;
    void report(Event event) override;
    void flushFailedExec(Process &process) override;
    bool hold(Task &task) override;
    /// While a process is held: takes the other tasks' stops (for the loop, in
    /// order) and reports the GateWait of each one stopped at a held call.
    void collectWhileHeld();
    void killTree(int signal);
    /// The wait for the tracees' next stop, with (poll) or without a control fd.
    void waitLoop(bool withControl);
    /// The RunStarted event: the root process (or the attached one) and what runs.
    void reportStarted(pid_t root, const std::string &text);
    /// Count-only, at the end: one Note per pipe with its derived bytes.
    void reportDerivedBytes();

    Sink m_sink;
    StepGate m_step;
    TraceOptions m_options;
    pid_t m_self = 0;
    pid_t m_root = 0;
    std::int64_t m_startNs = 0;
    bool m_attach = false;
    int m_detached = 0;
    bool m_killing = false;
    bool m_killed = false;
    std::uint64_t m_seq = 0;
    TraceTree m_tree;
    std::map<pid_t, Task> &m_tasks = m_tree.tasks();
    std::map<pid_t, Process> &m_processes = m_tree.processes();
    std::map<pid_t, int> &m_early = m_tree.early(); ///< stops of new tasks seen before their parent's fork event
    std::deque<std::pair<pid_t, int>> m_pending; ///< stops taken while a process was held
    SyscallStops m_stops;
    IoLedger m_ledger; ///< count-only: who held which pipe end while its /proc/PID/io moved
    DerivedBytes m_derived;
    std::set<std::uint64_t> m_fifos; ///< inodes of the FIFOs made or opened by name, to name them so
};

} // namespace pipescope
