#pragma once

#include "core/model/event.h"

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipescope
{

/// The language a listing is written in: the scenario's own C, or the
/// tutorial's Python (os.pipe, os.fork, subprocess.Popen, ...).
enum class ListingLanguage { C, Python };

/// "c" or "python", as --listing and the settings spell it.
const char *listingLanguageName(ListingLanguage language);
/// The language named "c" or "python" (any case); nothing for any other name.
std::optional<ListingLanguage> listingLanguageFromName(std::string_view name);

/// One instrumented syscall a listing line makes. Optionally it only matches
/// calls whose `requested` argument (size, timeout) has one value, which tells
/// apart two calls of one kind that could otherwise both come next.
struct CodeCall {
    EventKind kind = EventKind::Count_;
    bool hasRequested = false;
    std::int64_t requested = 0;

    /// A requested value that fits any call (the call's argument is not known).
    static constexpr std::int64_t kAnyRequested = INT64_MIN;

    /// True when an event (or a GateWait's pending call) of kind with this requested value fits this call.
    bool matches(EventKind k, std::int64_t requestedValue) const
    {
        return kind == k && (!hasRequested || requestedValue == kAnyRequested || requested == requestedValue);
    }
};

/// One line of a lesson's listing. A line that makes instrumented syscalls
/// carries them in the order it makes them: one for a plain C call, several
/// where Python hides them (subprocess.Popen makes pipe2, fork, close, read).
struct CodeLine {
    std::string text;
    std::vector<CodeCall> calls; ///< empty: no syscall on this line

    /// A requested value that fits any line (kept for callers of the one-call era).
    static constexpr std::int64_t kAnyRequested = CodeCall::kAnyRequested;

    bool tagged() const { return !calls.empty(); }
    /// The first call this line makes (Count_: none).
    EventKind tag() const { return calls.empty() ? EventKind::Count_ : calls.front().kind; }
    /// True when one of this line's calls is of this kind.
    bool makes(EventKind kind) const
    {
        for (const CodeCall &c : calls) {
            if (c.kind == kind)
                return true;
        }
        return false;
    }
};

/// Lines [first, last] repeat: after `last` the program may go back to `first`.
struct CodeLoop {
    int first = 0;
    int last = 0;
};

/// The program one role of one scenario runs, as short readable C or Python.
struct CodeProgram {
    std::string scenario; ///< "parent-child"
    std::string role; ///< "parent", "child", "writer" (matches "writer 3"), "*" (any other role)
    std::string title; ///< what the listing shows, e.g. "child (after fork)"
    ListingLanguage language = ListingLanguage::C;
    std::vector<CodeLine> lines;
    std::vector<CodeLoop> loops;
};

/// The C and Python listings of every scenario and role, faithful to what the
/// scenario code in core/scenarios really calls (closes included), for the code view.
class CodeListing
{
public:
    /// Every program of every scenario in both languages, in catalogue order (each
    /// role's C, then its Python). Built from the files core/scenarios/<name>/<role>.c
    /// and <role>.py, embedded at build time.
    static const std::vector<CodeProgram> &all();
    /// The programs of one scenario in one language (parent first).
    static std::vector<const CodeProgram *> programs(
        std::string_view scenario, ListingLanguage language = ListingLanguage::C);
    /// The program a process of this role runs: an exact role, else the role's first
    /// word ("writer 3" -> "writer"), else the scenario's "*" program. Null when unknown.
    static const CodeProgram *find(
        std::string_view scenario, std::string_view role, ListingLanguage language = ListingLanguage::C);
    /// Builds a program from annotated text: a trailing `$Write` tags a line with
    /// EventKind Write, `$Read=65536` also fixes requested, several tags make several
    /// calls in that order (`$PipeCreated $PipeCreated $Fork`), `$loop` / `$end`
    /// mark the first and last line of a loop (both may be on one line).
    static CodeProgram parse(std::string scenario, std::string role, std::string title, std::string_view text,
        ListingLanguage language = ListingLanguage::C);
};

} // namespace pipescope
