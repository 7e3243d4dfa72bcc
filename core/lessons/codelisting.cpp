#include "core/lessons/codelisting.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

namespace pipescope
{

namespace
{

/// The EventKind spelled as in event.h ("PipeCreated"), for the listings' tags.
EventKind kindFromTag(std::string_view tag)
{
    static const std::pair<std::string_view, EventKind> kTags[] = {{"PipeCreated", EventKind::PipeCreated},
        {"SetPipeSize", EventKind::SetPipeSize}, {"Fork", EventKind::Fork}, {"Exec", EventKind::Exec},
        {"Dup2", EventKind::Dup2}, {"Close", EventKind::Close}, {"Write", EventKind::Write}, {"Read", EventKind::Read},
        {"Select", EventKind::Select}, {"Sleep", EventKind::Sleep}, {"Wait", EventKind::Wait},
        {"Mkfifo", EventKind::Mkfifo}, {"Open", EventKind::Open}, {"SocketPair", EventKind::SocketPair}};
    for (const auto &[name, kind] : kTags) {
        if (name == tag)
            return kind;
    }
    return EventKind::Count_;
}

std::string rtrim(std::string s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    return s;
}

} // namespace

const char *listingLanguageName(ListingLanguage language)
{
    return language == ListingLanguage::Python ? "python" : "c";
}

std::optional<ListingLanguage> listingLanguageFromName(std::string_view name)
{
    std::string lower(name);
    for (char &c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "c")
        return ListingLanguage::C;
    if (lower == "python")
        return ListingLanguage::Python;
    return std::nullopt;
}

CodeProgram CodeListing::parse(
    std::string scenario, std::string role, std::string title, std::string_view text, ListingLanguage language)
{
    CodeProgram program;
    program.scenario = std::move(scenario);
    program.role = std::move(role);
    program.title = std::move(title);
    program.language = language;
    std::vector<int> open; // first lines of loops not yet closed
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos)
            nl = text.size();
        const std::string_view raw = text.substr(at, nl - at);
        at = nl + 1;
        const int index = static_cast<int>(program.lines.size());
        CodeLine line;
        const std::size_t marks = raw.find('$');
        line.text = rtrim(std::string(raw.substr(0, marks)));
        if (marks != std::string_view::npos) {
            std::size_t i = marks;
            while (i < raw.size()) {
                if (raw[i] != '$') {
                    ++i;
                    continue;
                }
                std::size_t end = raw.find_first_of(" \t", i);
                if (end == std::string_view::npos)
                    end = raw.size();
                const std::string_view mark = raw.substr(i + 1, end - i - 1);
                i = end;
                if (mark == "loop") {
                    open.push_back(index);
                } else if (mark == "end") {
                    if (!open.empty()) {
                        program.loops.push_back({open.back(), index});
                        open.pop_back();
                    }
                } else {
                    const std::size_t eq = mark.find('=');
                    CodeCall call;
                    call.kind = kindFromTag(mark.substr(0, eq));
                    if (eq != std::string_view::npos) {
                        call.hasRequested = true;
                        call.requested = std::strtoll(std::string(mark.substr(eq + 1)).c_str(), nullptr, 10);
                    }
                    if (call.kind != EventKind::Count_)
                        line.calls.push_back(call);
                }
            }
        }
        program.lines.push_back(std::move(line));
    }
    return program;
}

// CodeListing::all() is generated at build time (codelistings.cpp in the build
// directory) from the listings beside each scenario, core/scenarios/<name>/<role>.c and .py,
// by core/lessons/embedlistings.cmake; core has no Qt, so no resource system.

std::vector<const CodeProgram *> CodeListing::programs(std::string_view scenario, ListingLanguage language)
{
    std::vector<const CodeProgram *> out;
    for (const CodeProgram &p : all()) {
        if (p.scenario == scenario && p.language == language)
            out.push_back(&p);
    }
    return out;
}

const CodeProgram *CodeListing::find(std::string_view scenario, std::string_view role, ListingLanguage language)
{
    const auto list = programs(scenario, language);
    const std::string_view firstWord = role.substr(0, role.find(' '));
    for (std::string_view want : {role, firstWord, std::string_view("*")}) {
        const auto it = std::find_if(list.begin(), list.end(), [&](const CodeProgram *p) { return p->role == want; });
        if (it != list.end())
            return *it;
    }
    return nullptr;
}

} // namespace pipescope
