#pragma once

#include "core/model/event.h"
#include "core/record/countersample.h"
#include "core/record/fdsnapshot.h"
#include "core/record/recordingheader.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace pipescope
{

/// Writes a recording (docs/recording-format.md): the header line, then each
/// event as `--format jsonl` prints it, and counter samples between them. Used
/// by `pipescope-cli run|trace --record FILE` (through EventPrinter) and by the
/// GUI's File > Save run...
class RecordingWriter
{
public:
    /// Samples closer together than this are not written (unless forced): 10 a second
    /// keep a 1 GiB run's file in kilobytes and still move the counters smoothly.
    static constexpr std::int64_t kSampleIntervalNs = 100'000'000;

    RecordingWriter() = default;
    RecordingWriter(const RecordingWriter &) = delete;
    RecordingWriter &operator=(const RecordingWriter &) = delete;
    ~RecordingWriter();

    /// Creates (truncates) path and writes the header; false with *error set when it cannot.
    bool open(const std::string &path, const RecordingHeader &header, std::string *error);
    bool isOpen() const { return m_file != nullptr; }
    /// One event line; times relative to startNs (the run's RunStarted time, as jsonl prints them).
    void addEvent(const Event &event, std::int64_t startNs, std::string_view role);
    /// A sample line when the counters changed since the last one written and kSampleIntervalNs has
    /// passed since it; always when forced (the final counters, after the last event).
    void addSample(const CounterSample &sample, std::int64_t startNs, bool force = false);
    /// An fd-table line when the tables differ from the last ones written.
    void addFdSnapshot(const FdSnapshot &snapshot, std::int64_t startNs);
    /// Flushes and closes; false with *error set when anything could not be written.
    bool close(std::string *error);

    /// A whole run at once (the GUI's Save run...): its events in order with the counter samples and
    /// fd tables taken while it ran (each where its time falls, samples kept as addSample keeps them),
    /// then its final counters. A trace's processes are named by the program they run, as the CLI names them.
    static bool writeRun(const std::string &path, const RecordingHeader &header, const std::vector<Event> &events,
        const CounterSample &finalCounters, std::string *error, const std::vector<CounterSample> &samples = {},
        const std::vector<FdSnapshot> &fdSnapshots = {});

private:
    void write(const std::string &line);

    std::FILE *m_file = nullptr;
    std::string m_path;
    int m_errno = 0; ///< the first write's failure, reported by close
    bool m_sampled = false;
    CounterSample m_lastSample;
    bool m_fdsWritten = false;
    FdSnapshot m_lastFds;
};

} // namespace pipescope
