#pragma once

#include "core/model/event.h"

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pipescope
{

/// One line of a lesson's C listing. A line that makes an instrumented
/// syscall carries its EventKind; optionally it only matches calls whose
/// `requested` argument (size, timeout) has one value, which tells apart
/// two calls of one kind that could otherwise both come next.
struct CodeLine {
    std::string text;
    EventKind tag = EventKind::Count_; ///< Count_: no syscall on this line
    bool hasRequested = false;
    std::int64_t requested = 0;

    bool tagged() const { return tag != EventKind::Count_; }
    /// A requested value that fits any line (the call's argument is not known).
    static constexpr std::int64_t kAnyRequested = INT64_MIN;

    /// True when an event (or a GateWait's pending call) of kind with this requested value fits this line.
    bool matches(EventKind kind, std::int64_t requestedValue) const
    {
        return tag == kind && (!hasRequested || requestedValue == kAnyRequested || requested == requestedValue);
    }
};

/// Lines [first, last] repeat: after `last` the program may go back to `first`.
struct CodeLoop {
    int first = 0;
    int last = 0;
};

/// The program one role of one scenario runs, as short readable C.
struct CodeProgram {
    std::string scenario; ///< "parent-child"
    std::string role; ///< "parent", "child", "writer" (matches "writer 3"), "*" (any other role)
    std::string title; ///< what the listing shows, e.g. "child (after fork)"
    std::vector<CodeLine> lines;
    std::vector<CodeLoop> loops;
};

/// The C listings of every scenario and role, faithful to what the scenario
/// code in core/scenarios really calls (closes included), for the code view.
class CodeListing
{
public:
    /// Every program of every scenario, in catalogue order. Built from the files
    /// core/scenarios/<name>/<role>.c, embedded at build time.
    static const std::vector<CodeProgram> &all();
    /// The programs of one scenario (parent first).
    static std::vector<const CodeProgram *> programs(std::string_view scenario);
    /// The program a process of this role runs: an exact role, else the role's first
    /// word ("writer 3" -> "writer"), else the scenario's "*" program. Null when unknown.
    static const CodeProgram *find(std::string_view scenario, std::string_view role);
    /// Builds a program from annotated text: a trailing `$Write` tags a line with
    /// EventKind Write, `$Read=65536` also fixes requested, `$loop` / `$end`
    /// mark the first and last line of a loop (both may be on one line).
    static CodeProgram parse(std::string scenario, std::string role, std::string title, std::string_view text);
};

} // namespace pipescope
