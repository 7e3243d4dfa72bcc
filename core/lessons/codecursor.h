#pragma once

#include "core/lessons/codelisting.h"
#include "core/model/event.h"

namespace pipescope
{

/// Follows one process through its CodeProgram. Fed that process's events in
/// order, it says which line is about to execute (a GateWait: held before the
/// call, or a Blocked: asleep inside it) and which line last executed (the
/// syscall event, after the kernel answered). Lines are matched by their
/// EventKind tags in program order; loop ranges may repeat, and branches not
/// taken are skipped. Where two lines could come next, the one that skips
/// fewer tagged lines wins (a tag with a matching `requested` value first).
class CodeCursor
{
public:
    explicit CodeCursor(const CodeProgram *program = nullptr);

    /// Starts over (for a new run).
    void reset();
    /// Feeds one event of this process; returns true when it moved the cursor.
    /// Events of other kinds (notes, exits) and calls no line makes return false.
    bool feed(const Event &event);

    const CodeProgram *program() const { return m_program; }
    /// The line the process is held before or blocked in; -1 when none.
    int pendingLine() const { return m_pending; }
    /// The line whose call the kernel last answered; -1 before the first.
    int lastLine() const { return m_last; }
    /// The line to highlight: the pending one, else the last executed one.
    int currentLine() const { return m_pending >= 0 ? m_pending : m_last; }
    /// Syscall events that matched no line (a listing out of step with its scenario).
    int unmatched() const { return m_unmatched; }

    /// The call a process blocked in syscall number nr (x86-64 / aarch64 numbering) is making.
    static EventKind kindOfSyscall(long nr);

private:
    /// The next line that can make this call, searched from just after `from`
    /// (or from `from` itself when inclusive); -1 when none can.
    int next(EventKind kind, std::int64_t requested, int from, bool inclusive) const;

    const CodeProgram *m_program;
    int m_pending = -1;
    bool m_pendingFromGate = false; ///< held at a gate (certain), not a Blocked sample (may be stale)
    int m_last = -1;
    int m_unmatched = 0;
};

} // namespace pipescope
