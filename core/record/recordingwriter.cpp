#include "core/record/recordingwriter.h"

#include "core/export/eventjson.h"
#include "core/model/runstate.h"

#include <cerrno>
#include <cstring>

namespace pipescope
{

RecordingWriter::~RecordingWriter()
{
    std::string ignored;
    close(&ignored);
}

bool RecordingWriter::open(const std::string &path, const RecordingHeader &header, std::string *error)
{
    std::string ignored;
    close(&ignored);
    m_file = std::fopen(path.c_str(), "we");
    if (!m_file) {
        *error = "cannot write " + path + ": " + std::strerror(errno);
        return false;
    }
    m_path = path;
    m_errno = 0;
    m_sampled = false;
    m_fdsWritten = false;
    write(header.toJson());
    return true;
}

void RecordingWriter::write(const std::string &line)
{
    if (!m_file || m_errno)
        return;
    if (std::fwrite(line.data(), 1, line.size(), m_file) != line.size() || std::fputc('\n', m_file) == EOF)
        m_errno = errno ? errno : EIO;
}

void RecordingWriter::addEvent(const Event &event, std::int64_t startNs, std::string_view role)
{
    write(EventJson::toJson(event, startNs, role));
}

void RecordingWriter::addSample(const CounterSample &sample, std::int64_t startNs, bool force)
{
    // A forced sample (the final counters) is written even when unchanged: a recording ends with its counts.
    if (m_sampled && !force
        && (sample.sameCounters(m_lastSample) || sample.timeNs - m_lastSample.timeNs < kSampleIntervalNs))
        return;
    write(sample.toJson(startNs));
    m_lastSample = sample;
    m_sampled = true;
}

void RecordingWriter::addFdSnapshot(const FdSnapshot &snapshot, std::int64_t startNs)
{
    if (m_fdsWritten && snapshot.sameTables(m_lastFds))
        return;
    write(snapshot.toJson(startNs));
    m_lastFds = snapshot;
    m_fdsWritten = true;
}

bool RecordingWriter::close(std::string *error)
{
    if (!m_file)
        return true;
    if (std::fflush(m_file) != 0 && !m_errno)
        m_errno = errno;
    if (std::fclose(m_file) != 0 && !m_errno)
        m_errno = errno;
    m_file = nullptr;
    if (m_errno) {
        *error = "cannot write " + m_path + ": " + std::strerror(m_errno);
        return false;
    }
    return true;
}

bool RecordingWriter::writeRun(const std::string &path, const RecordingHeader &header, const std::vector<Event> &events,
    const CounterSample &finalCounters, std::string *error, const std::vector<CounterSample> &samples,
    const std::vector<FdSnapshot> &fdSnapshots)
{
    RecordingWriter writer;
    if (!writer.open(path, header, error))
        return false;
    // Roles as the CLI's EventPrinter gives them: the run's own names, the runner for its events.
    RunState state;
    const bool trace = header.sourceKind == "trace";
    state.setExecsTraced(trace);
    std::size_t sample = 0;
    std::size_t fds = 0;
    for (const Event &e : events) {
        // What was taken while the run went on goes where its time falls, before the events after it
        // (never before the run's start: a replay folds a sample into the processes the events made).
        if (state.startNs() > 0) {
            for (; sample < samples.size() && samples[sample].timeNs <= e.timeNs; ++sample)
                writer.addSample(samples[sample], state.startNs());
            for (; fds < fdSnapshots.size() && fdSnapshots[fds].timeNs <= e.timeNs; ++fds)
                writer.addFdSnapshot(fdSnapshots[fds], state.startNs());
        }
        state.apply(e);
        const ProcessInfo *p = state.process(e.pid);
        std::string role = p ? p->role : "runner";
        if (trace && p && !p->program.empty()) {
            const std::string first = p->program.substr(0, p->program.find(' '));
            role = first.substr(first.rfind('/') == std::string::npos ? 0 : first.rfind('/') + 1);
        }
        writer.addEvent(e, state.startNs(), role);
    }
    for (; fds < fdSnapshots.size(); ++fds)
        writer.addFdSnapshot(fdSnapshots[fds], state.startNs());
    for (; sample < samples.size(); ++sample)
        writer.addSample(samples[sample], state.startNs());
    writer.addSample(finalCounters, state.startNs(), true);
    return writer.close(error);
}

} // namespace pipescope
