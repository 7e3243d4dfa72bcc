#include "app/pipescope-cli/eventprinter.h"

#include "app/pipescope-cli/derivedsummary.h"
#include "core/export/eventjson.h"
#include "core/model/eventformat.h"
#include "core/record/recordingwriter.h"

namespace pipescope
{

namespace
{

void write(FILE *f, const std::string &text)
{
    std::fwrite(text.data(), 1, text.size(), f);
}

} // namespace

std::optional<EventPrinter::Format> EventPrinter::parseFormat(const std::string &name)
{
    if (name == "text")
        return Format::Text;
    if (name == "jsonl")
        return Format::Jsonl;
    if (name == "chrome")
        return Format::Chrome;
    return std::nullopt;
}

std::string EventPrinter::roleOf(const Event &event) const
{
    const ProcessInfo *p = m_state.process(event.pid);
    if (!p)
        return "runner"; // only the runner itself is not a process of the tree
    if (m_roleFromProgram && !p->program.empty()) {
        const std::string first = p->program.substr(0, p->program.find(' '));
        const auto slash = first.rfind('/');
        return slash == std::string::npos ? first : first.substr(slash + 1);
    }
    return p->role;
}

void EventPrinter::print(const Event &event)
{
    m_state.apply(event);
    m_cleanup.add(event);
    m_cleanup.setRole(event.pid, roleOf(event));
    // A socket's EOF is its peer's close, not every write end's: the line says which.
    const ChannelKind channel = EventFormat::channelOf(event, m_state);
    if (m_recording)
        m_recording->addEvent(event, m_state.startNs(), roleOf(event));
    switch (m_format) {
    case Format::Text: write(m_out, EventFormat::line(event, m_state.startNs(), roleOf(event), channel) + "\n"); break;
    case Format::Jsonl: write(m_out, EventJson::toJson(event, m_state.startNs(), roleOf(event), channel) + "\n"); break;
    case Format::Chrome: m_trace.add(event, m_state); break;
    }
}

void EventPrinter::finish()
{
    if (m_format == Format::Text && m_derived) {
        const auto name = [this](pid_t pid) {
            Event e;
            e.pid = pid;
            return roleOf(e);
        };
        write(m_out, DerivedSummary::text(*m_derived, m_state, name) + m_cleanup.text());
    } else if (m_format == Format::Text) {
        write(m_out, EventFormat::summary(m_state) + m_cleanup.text());
    } else if (m_format == Format::Chrome)
        write(m_out, m_trace.toJson() + "\n");
    std::fflush(m_out);
}

} // namespace pipescope
