#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace pipescope
{

/// Who closed each pipe end of a run: the process itself (close, or dup2 over
/// the fd), the kernel at exec (close-on-exec), or the kernel when the process
/// exited. The tutorial's last practice, "make sure every file descriptor is
/// closed", made visible: an end above fd 2 that a process still held when it
/// exited was left to the kernel, which a correct program does not do. Fds 0 to
/// 2 are the standard streams every program leaves to the kernel: not counted.
///
/// It replays the events itself, like any view of the run, so any source of
/// events (a scenario, a traced program, a replayed recording) gets the report.
class CleanupReport
{
public:
    /// The text of a Close event that the kernel's exec made (a traced program's
    /// close-on-exec ends), not the process's own close.
    static constexpr std::string_view kClosedByExec = "closed by exec (close-on-exec)";
    struct LeftEnd {
        int fd = -1;
        PipeEndRef end;
        ChannelKind kind = ChannelKind::Pipe; ///< what it is an end of
    };
    struct Process {
        pid_t pid = 0;
        std::string role;
        int closedItself = 0; ///< pipe ends it closed with close() or dup2() over them
        int closedAtExec = 0; ///< close-on-exec ends the kernel closed when it exec'd
        std::vector<LeftEnd> leftToKernel; ///< ends above fd 2 still open when it exited
        bool exited = false;
        int status = 0; ///< raw wait status, once exited
        bool unobserved = false; ///< ran an exec'd program nobody traced: its closes were not seen
        unsigned kinds = 0; ///< the kinds of channel it held an end of (bit 1 << ChannelKind)
    };

    /// The run's exec'd programs are traced (pipescope-cli trace): their closes are seen too.
    void setExecsTraced(bool traced) { m_state.setExecsTraced(traced); }
    /// Folds one event in, in the order of the run.
    void add(const Event &event);
    /// Names a process as the output does (a traced process by the program it runs now).
    void setRole(pid_t pid, const std::string &role);
    /// Every process of the run, in order of appearance.
    const std::vector<Process> &processes() const { return m_processes; }
    /// False when no event made or moved a pipe end (a pipeline watched from /proc): who closed
    /// what was not seen, and the report has nothing to say.
    bool observed() const { return m_observed; }
    /// True when some process left a pipe end (above fd 2) for the kernel to close.
    bool anythingLeft() const;
    /// The report as lines for a summary: a heading, then one line per process.
    std::string text() const;
    /// One line for one process ("closed 2 pipe ends itself; left fd 4 (pipe:[9] write end) to the kernel").
    /// Ends are named for what they are: "pipe ends", "FIFO ends", "socket ends", or a mix.
    static std::string line(const Process &process);
    /// "pipe end", "socket end", "pipe and socket end" for a set of kinds (bit 1 << ChannelKind; none: pipe).
    static std::string endNoun(unsigned kinds);
    /// The kinds of channel the run made (bit 1 << ChannelKind), for endNoun().
    unsigned endKinds() const;

private:
    Process &entry(pid_t pid);
    ChannelKind kindOf(std::uint64_t inode) const;

    RunState m_state;
    std::vector<Process> m_processes;
    bool m_observed = false;
};

} // namespace pipescope
