#pragma once

#include "core/export/chrometrace.h"
#include "core/model/cleanupreport.h"
#include "core/model/event.h"
#include "core/model/runstate.h"
#include "core/trace/derivedbytes.h"

#include <cstdio>
#include <optional>
#include <string>

namespace pipescope
{

class RecordingWriter;

/// Writes a run's events as the command line shows them (text lines, JSON
/// lines or one Chrome trace) and, at the end, the per-pipe summary. Shared by
/// `run` (a built-in scenario) and `trace` (a user's program), so both speak
/// the same formats.
class EventPrinter
{
public:
    enum class Format { Text, Jsonl, Chrome };
    /// "text", "jsonl" or "chrome"; nothing for another name.
    static std::optional<Format> parseFormat(const std::string &name);

    EventPrinter(FILE *out, Format format) : m_out(out), m_format(format) { }
    /// Name a process by the program it runs (its last exec) rather than by
    /// its role: a traced program's processes have no roles of their own.
    void setRoleFromProgram(bool on) { m_roleFromProgram = on; }
    /// Exec'd programs are traced too (pipescope-cli trace): their calls count, and their closes.
    void setExecsTraced(bool traced)
    {
        m_state.setExecsTraced(traced);
        m_cleanup.setExecsTraced(traced);
    }
    /// Also writes every event into this recording (--record FILE); null: none.
    void setRecording(RecordingWriter *recording) { m_recording = recording; }
    /// Count-only trace: finish() writes the bytes derived from /proc/PID/io
    /// (DerivedSummary) instead of the per-call table, whose counts would all be 0.
    void setDerivedBytes(const DerivedBytes &bytes) { m_derived = bytes; }
    /// Folds the event into the run state and writes it.
    void print(const Event &event);
    /// The summary (text) or the whole trace (chrome); nothing for jsonl.
    void finish();
    Format format() const { return m_format; }
    RunState &state() { return m_state; }

private:
    std::string roleOf(const Event &event) const;

    FILE *m_out;
    Format m_format;
    bool m_roleFromProgram = false;
    RecordingWriter *m_recording = nullptr;
    RunState m_state;
    CleanupReport m_cleanup; ///< who closed each pipe end, printed after the summary
    ChromeTrace m_trace;
    std::optional<DerivedBytes> m_derived;
};

} // namespace pipescope
