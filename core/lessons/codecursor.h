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
/// fewer tagged calls wins (a tag with a matching `requested` value first).
/// A line that makes several calls (Python's subprocess.Popen) is walked call
/// by call: the cursor stays on it, and pendingCall()/lastCall() say which.
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
    int pendingLine() const { return lineOf(m_pending); }
    /// The line whose call the kernel last answered; -1 before the first.
    int lastLine() const { return lineOf(m_last); }
    /// The line to highlight: the pending one, else the last executed one.
    int currentLine() const { return m_pending >= 0 ? pendingLine() : lastLine(); }
    /// Which of its line's calls is pending (0-based); -1 when none.
    int pendingCall() const { return callOf(m_pending); }
    /// Which of its line's calls the kernel last answered (0-based); -1 before the first.
    int lastCall() const { return callOf(m_last); }
    /// Which call of the highlighted line: the pending one, else the last executed one.
    int currentCall() const { return m_pending >= 0 ? pendingCall() : lastCall(); }
    /// Syscall events that matched no line (a listing out of step with its scenario).
    int unmatched() const { return m_unmatched; }
    /// The process exec'd another program: this listing ended at its exec line, and
    /// that program's own calls (traced, so they are events) have no line here.
    bool replaced() const { return m_replaced; }

    /// The call a process blocked in syscall number nr (x86-64 / aarch64 numbering) is making.
    static EventKind kindOfSyscall(long nr);

private:
    /// One call of one line, or an untagged line: the cursor walks these.
    struct Slot {
        int line = 0;
        int call = -1; ///< index in the line's calls; -1: a line without calls
    };
    /// The next slot that can make this call, searched from just after `from`
    /// (or from `from` itself when inclusive); -1 when none can.
    int next(EventKind kind, std::int64_t requested, int from, bool inclusive) const;
    const CodeCall *callAt(int slot) const;
    int lineOf(int slot) const { return slot < 0 ? -1 : m_slots[static_cast<std::size_t>(slot)].line; }
    int callOf(int slot) const { return slot < 0 ? -1 : m_slots[static_cast<std::size_t>(slot)].call; }

    const CodeProgram *m_program;
    std::vector<Slot> m_slots;
    std::vector<CodeLoop> m_loops; ///< the program's loops, in slots
    int m_pending = -1; ///< slots, not lines
    bool m_pendingFromGate = false; ///< held at a gate (certain), not a Blocked sample (may be stale)
    int m_last = -1; ///< a slot
    int m_unmatched = 0;
    bool m_replaced = false;
};

} // namespace pipescope
