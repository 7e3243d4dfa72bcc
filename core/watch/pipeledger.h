#pragma once

#include "core/watch/watchsample.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace pipescope
{

/// How far a process's counts can be trusted, for a ledger.
struct CountState {
    bool final = false; ///< alive now, or its last word is known
    std::uint64_t slack = 0; ///< its final counts may be this much below the truth
};

/// The byte counts attributed to one pipe over a whole watch, per process and
/// per end: what each writer wrote in (wchar) and each reader read out (rchar),
/// where /proc's per-process counts can be put on this pipe, and who holds an
/// end without its counts being attributable (which leaves that side unknown).
class PipeLedger
{
public:
    /// pid holds an end of the pipe; `counted` when its count is attributed here.
    void sawHolder(pid_t pid, bool writeEnd, bool counted, std::uint64_t count);
    /// pid's count (wchar for the write end, rchar for the read end) belongs to
    /// this pipe; `sole` when it could write (read) nothing else, otherwise it
    /// is assumed to have used only its stdout (stdin).
    void count(pid_t pid, bool writeEnd, std::uint64_t count, bool sole);
    /// Forgets holders that were not counted but let go of the pipe with their
    /// count unchanged over every sample that saw them hold it (a shell between
    /// pipe() and exec): as far as samples can tell, they moved nothing through it.
    void forgetIdleHolders(const std::function<bool(pid_t, bool writeEnd)> &holdsNow);
    /// Fills the byte fields of p (bytes, basis, final, slack, assumed, in/out,
    /// rate since the last call) at time now; state(pid) says how final a
    /// process's counts are. Remembers p as the last.
    void fillBytes(WatchedPipe &p, std::int64_t now, const std::function<CountState(pid_t)> &state);

    const WatchedPipe &last() const { return m_last; }
    /// Processes that ever held its write (read) end.
    const std::set<pid_t> &everWriters() const { return m_everWriters; }
    const std::set<pid_t> &everReaders() const { return m_everReaders; }

private:
    using Counts = std::map<pid_t, std::uint64_t>;
    /// Holders not counted, with their counts at the first and the last sample that saw them hold it.
    using Uncounted = std::map<pid_t, std::pair<std::uint64_t, std::uint64_t>>;

    Counts m_in, m_out;
    Uncounted m_badIn, m_badOut;
    std::set<pid_t> m_everWriters, m_everReaders;
    std::set<pid_t> m_assumed;
    WatchedPipe m_last;
    std::int64_t m_lastNs = 0;
};

} // namespace pipescope
