#include "core/lessons/codecursor.h"

#include <sys/syscall.h>

#include <deque>
#include <limits>
#include <tuple>

namespace pipescope
{

CodeCursor::CodeCursor(const CodeProgram *program) : m_program(program)
{
    if (!program)
        return;
    // Each call of a line is a step of its own, so the search below walks calls, not lines.
    std::vector<int> firstSlot, lastSlot;
    for (int line = 0; line < static_cast<int>(program->lines.size()); ++line) {
        const int calls = static_cast<int>(program->lines[static_cast<std::size_t>(line)].calls.size());
        firstSlot.push_back(static_cast<int>(m_slots.size()));
        if (calls == 0)
            m_slots.push_back({line, -1});
        for (int c = 0; c < calls; ++c)
            m_slots.push_back({line, c});
        lastSlot.push_back(static_cast<int>(m_slots.size()) - 1);
    }
    for (const CodeLoop &loop : program->loops)
        m_loops.push_back(
            {firstSlot[static_cast<std::size_t>(loop.first)], lastSlot[static_cast<std::size_t>(loop.last)]});
}

const CodeCall *CodeCursor::callAt(int slot) const
{
    if (slot < 0)
        return nullptr;
    const Slot &s = m_slots[static_cast<std::size_t>(slot)];
    return s.call < 0 ? nullptr
                      : &m_program->lines[static_cast<std::size_t>(s.line)].calls[static_cast<std::size_t>(s.call)];
}

void CodeCursor::reset()
{
    m_pending = -1;
    m_pendingFromGate = false;
    m_last = -1;
    m_unmatched = 0;
    m_replaced = false;
}

EventKind CodeCursor::kindOfSyscall(long nr)
{
    switch (nr) {
    case SYS_read: return EventKind::Read;
    case SYS_write: return EventKind::Write;
#ifdef SYS_select
    case SYS_select: return EventKind::Select;
#endif
    case SYS_pselect6: return EventKind::Select;
    case SYS_wait4: return EventKind::Wait;
    default: return EventKind::Count_;
    }
}

int CodeCursor::next(EventKind kind, std::int64_t requested, int from, bool inclusive) const
{
    const int n = static_cast<int>(m_slots.size());
    // Slots form a graph: each leads to the next, a loop's last slot also back to
    // its first. The cost of a path is the calls it passes without their
    // happening (a branch not taken). Cheapest wins; among equals, a line whose
    // `requested` value is fixed and fits, then the shortest walk.
    constexpr int kInf = std::numeric_limits<int>::max();
    std::vector<std::pair<int, int>> best(static_cast<std::size_t>(n), {kInf, kInf}); // (skipped, walked)
    std::deque<int> queue;
    auto relax = [&](int line, int skipped, int walked) {
        if (line < 0 || line >= n)
            return;
        auto &b = best[static_cast<std::size_t>(line)];
        if (std::make_pair(skipped, walked) < b) {
            b = {skipped, walked};
            queue.push_back(line);
        }
    };
    auto successors = [&](int line, int skipped, int walked) {
        relax(line + 1, skipped, walked + 1);
        for (const CodeLoop &loop : m_loops) {
            if (loop.last == line)
                relax(loop.first, skipped, walked + 1);
        }
    };
    if (from < 0)
        relax(0, 0, 0);
    else if (inclusive)
        relax(from, 0, 0);
    else
        successors(from, 0, 0);
    // Few lines and small costs: a plain relaxation queue (Bellman-Ford style) is enough.
    while (!queue.empty()) {
        const int line = queue.front();
        queue.pop_front();
        const auto [skipped, walked] = best[static_cast<std::size_t>(line)];
        const CodeCall *c = callAt(line);
        if (c && c->matches(kind, requested))
            continue; // a candidate: the call happens here, the path ends
        successors(line, skipped + (c ? 1 : 0), walked);
    }
    int found = -1;
    std::tuple<int, int, int> foundKey {kInf, kInf, kInf};
    for (int i = 0; i < n; ++i) {
        const CodeCall *c = callAt(i);
        const auto [skipped, walked] = best[static_cast<std::size_t>(i)];
        if (skipped == kInf || !c || !c->matches(kind, requested))
            continue;
        const std::tuple<int, int, int> key {
            c->hasRequested && requested != CodeCall::kAnyRequested ? 0 : 1, skipped, walked};
        if (key < foundKey) {
            foundKey = key;
            found = i;
        }
    }
    return found;
}

bool CodeCursor::feed(const Event &e)
{
    if (!m_program)
        return false;
    if (e.kind == EventKind::ExecFailed) {
        m_replaced = false; // still this program: the lines after the exec run
        return false;
    }
    if (m_replaced)
        return false;
    if (e.kind == EventKind::GateWait || e.kind == EventKind::Blocked) {
        const EventKind kind = e.kind == EventKind::GateWait ? e.pending : kindOfSyscall(e.requested);
        // Asleep writing its own telemetry is PipeScope's doing, not a line of the lesson.
        if (kind == EventKind::Count_ || (e.kind == EventKind::Blocked && e.fd == kTelemetryFd))
            return false;
        // GateWait's requested is the call's own argument; Blocked's is the syscall number.
        const std::int64_t requested = e.kind == EventKind::GateWait ? e.requested : CodeCall::kAnyRequested;
        if (m_pending >= 0 && callAt(m_pending)->kind == kind)
            return false; // already there (a Blocked after its GateWait)
        const int line = next(kind, requested, m_last, false);
        if (line < 0)
            return false;
        m_pending = line;
        m_pendingFromGate = e.kind == EventKind::GateWait;
        return true;
    }
    if (!isSyscallKind(e.kind))
        return false;
    int line = -1;
    if (m_pending >= 0 && callAt(m_pending)->matches(e.kind, e.requested))
        line = m_pending;
    else if (m_pending >= 0 && m_pendingFromGate)
        line = next(e.kind, e.requested, m_pending, true);
    else // a Blocked sample can be older than the calls that arrive after it: start from the facts
        line = next(e.kind, e.requested, m_last, false);
    m_pending = -1;
    if (line < 0) {
        ++m_unmatched;
        return false;
    }
    m_last = line;
    m_replaced = e.kind == EventKind::Exec;
    return true;
}

} // namespace pipescope
