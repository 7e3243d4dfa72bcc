#include "ui/source/recordingtap.h"

#include "core/record/recordingwriter.h"
#include "ui/source/eventsource.h"

#include <ctime>

namespace pipescope
{

namespace
{

/// CLOCK_MONOTONIC, the clock of the events' times, so samples fall between the right events.
std::int64_t monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

/// After this many ms a batch that changed fds is followed by one read of every table (as the fd cards do).
constexpr int kSoonMs = 40;

} // namespace

RecordingTap::RecordingTap(EventSource *source, QObject *parent) : QObject(parent), m_source(source)
{
    m_soon.setSingleShot(true);
    m_soon.setInterval(kSoonMs);
    connect(&m_soon, &QTimer::timeout, this, &RecordingTap::readFdTables);
    connect(source, &EventSource::runReset, this, &RecordingTap::clear);
    connect(source, &EventSource::countersSampled, this, &RecordingTap::sample);
    connect(source, &EventSource::eventsArrived, this, [this](const QVector<Event> &events) {
        for (const Event &e : events) {
            switch (e.kind) {
            case EventKind::PipeCreated:
            case EventKind::Fork:
            case EventKind::Exec:
            case EventKind::Dup2:
            case EventKind::Close:
                if (!m_soon.isActive())
                    m_soon.start();
                return;
            default: break;
            }
        }
    });
    // The last look once everything has exited would find no table: the ones read while it ran are kept.
    connect(source, &EventSource::runFinished, this, [this] { m_soon.stop(); });
}

void RecordingTap::setRun(const QString &scenario, const QStringList &assignments)
{
    m_scenario = scenario;
    m_assignments = assignments;
    clear(); // a new run: nothing of the last one is its
}

void RecordingTap::clear()
{
    m_samples.clear();
    m_fdSnapshots.clear();
    m_soon.stop();
}

void RecordingTap::sample()
{
    const auto phase = m_source->phase();
    if (phase != EventSource::Phase::Running && phase != EventSource::Phase::Paused)
        return;
    CounterSample s = CounterSample::fromState(m_source->state(), monotonicNs());
    // The rule RecordingWriter::addSample applies, here already, so a long run keeps little.
    if (!m_samples.empty()
        && (s.sameCounters(m_samples.back())
            || s.timeNs - m_samples.back().timeNs < RecordingWriter::kSampleIntervalNs))
        return;
    m_samples.push_back(std::move(s));
}

void RecordingTap::readFdTables()
{
    const auto phase = m_source->phase();
    // Once the run is over every pid may belong to someone else: read nothing then.
    if (phase != EventSource::Phase::Running && phase != EventSource::Phase::Paused)
        return;
    FdSnapshot s = FdSnapshot::read(m_source->state(), monotonicNs());
    if (!m_fdSnapshots.empty() && s.sameTables(m_fdSnapshots.back()))
        return;
    m_fdSnapshots.push_back(std::move(s));
}

} // namespace pipescope
