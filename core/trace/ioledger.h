#pragma once

#include "core/trace/derivedbytes.h"
#include "core/trace/fdtable.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace pipescope
{

/// Count-only mode's byte accounting. The tracer stops at every call that
/// makes, copies or drops a pipe end (never at a read or write) and tells the
/// ledger, with the process's /proc/PID/io at that moment, which pipe ends the
/// process holds. So the ledger knows, for every holding of every end, how far
/// the process's rchar (wchar) moved while it held it: exactly 0 proves it
/// moved nothing through that end; more is attributed to the pipe only when
/// the end sat at its stdin (stdout), as a pipeline stage's does.
class IoLedger
{
public:
    /// One pipe end a process holds; writeEnd from /proc/PID/fdinfo's flags.
    struct End {
        int fd = -1;
        std::uint64_t inode = 0;
        bool writeEnd = false;
    };

    /// /proc/PID/io now; nothing when it cannot be read.
    static std::optional<ProcIo> read(pid_t pid);
    /// Whether fd of pid is a pipe's write end (its fdinfo flags); nothing when unknown.
    static std::optional<bool> isWriteEnd(pid_t pid, int fd);

    /// Looks at pid (stopped by its tracer) now: its /proc/PID/io and the pipe
    /// ends of its fd table, each end's direction from fdinfo (read once per fd).
    void look(pid_t pid, const FdTable &fds);
    /// A new process: its counters start at 0 and it holds its parent's ends.
    void forked(pid_t child, pid_t parent);
    /// pid's leader is at its exit stop: its counters are final, its ends still open.
    void exitStop(pid_t pid);
    /// parent reaped child (a traced wait): the kernel adds the child's final
    /// counters to the parent's /proc/PID/io, so the ledger takes them out again.
    void reaped(pid_t parent, pid_t child);

    /// pid holds exactly these ends now, with these counters: holdings that
    /// began are opened, those that ended are closed with this io.
    void snapshot(pid_t pid, const ProcIo &io, const std::vector<End> &ends);
    /// pid exited with these final counters: every holding it had ends here.
    void exited(pid_t pid, const ProcIo &io);
    /// The ends pid held at its last snapshot (a forked child starts with them).
    std::vector<End> ends(pid_t pid) const;
    /// The pipes' bytes; holdings still open (a process whose exit was not
    /// seen) make their sides unknown unless their counts never moved.
    DerivedBytes result() const;

private:
    /// inode, write end, and whether it sits at fd 1 (write end) or 0 (read
    /// end): a holding ends when the end moves to or from there, so that
    /// counts that moved while it sat only at fd 2 (stderr) are not credited.
    using Key = std::tuple<std::uint64_t, bool, bool>;
    struct Holding {
        ProcIo start;
        bool tainted = false; ///< a child of unknown counts was reaped meanwhile
    };
    struct Closed {
        pid_t pid = 0;
        Key key;
        std::uint64_t moved = 0; ///< rchar (read end) or wchar (write end) while held
        bool known = true;
    };

    static std::uint64_t side(const ProcIo &io, bool writeEnd) { return writeEnd ? io.wchar : io.rchar; }

    std::map<pid_t, std::map<Key, Holding>> m_open;
    std::map<pid_t, std::vector<End>> m_ends;
    std::map<pid_t, std::map<int, End>> m_directions; ///< fdinfo read once per fd and pipe
    std::map<pid_t, ProcIo> m_last; ///< each process's counters at its last snapshot
    std::map<pid_t, ProcIo> m_atExit; ///< its own counts: reaped children's taken out
    std::map<pid_t, ProcIo> m_rawAtExit; ///< as /proc said, what its parent's counts grow by
    std::map<pid_t, ProcIo> m_reapedIo; ///< the reaped children's counts inside each process's
    std::vector<Closed> m_closed;
};

} // namespace pipescope
