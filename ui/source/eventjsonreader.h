#pragma once

#include "core/model/event.h"

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <optional>

namespace pipescope
{

/// Reads back one line of the jsonl format (core/export/eventjson.cpp, what
/// `pipescope-cli run|trace --format jsonl` prints) as the Event it was written
/// from. Strict: anything that EventJson would not have written (an unknown key,
/// a key of another kind, a wrong type, a flag that contradicts the numbers) is
/// refused with one line saying what. What the format leaves out comes back as
/// an Event's defaults (inode2, slot, status of kinds that do not print it), a
/// signal's core-dump bit is not in the text, and bytes of a preview that were
/// not UTF-8 come back as U+FFFD.
class EventJsonReader
{
public:
    /// baseNs is added to every time read (t_ns, start_ns), which EventJson
    /// writes relative to the run's start: pass the start to get the original times.
    explicit EventJsonReader(std::int64_t baseNs = 0) : m_baseNs(baseNs) { }

    void setBaseNs(std::int64_t baseNs) { m_baseNs = baseNs; }
    std::int64_t baseNs() const { return m_baseNs; }

    /// The event of one line (without its newline); nothing, with *error set, when it is not one.
    /// role receives the "role" field (empty when absent).
    std::optional<Event> read(QByteArrayView line, QString *error, QString *role = nullptr) const;

    /// EventFormat::waitStatus read back: "exit 3" -> 0x300, "killed by SIGKILL" -> 9, "status N" -> N.
    static std::optional<int> parseWaitStatus(const QString &text);

private:
    std::int64_t m_baseNs;
};

} // namespace pipescope
