#pragma once

#include "core/record/countersample.h"
#include "core/record/fdsnapshot.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <vector>

namespace pipescope
{

class EventSource;

/// What File > Save run... needs of a live run beyond its events, kept while it
/// runs: the parameters it was started with (the editor may show others by the
/// time it is saved), its counter samples, kept as `run --record` keeps them (at
/// most RecordingWriter::kSampleIntervalNs apart and only when a counter moved,
/// so a 1 GiB run keeps a few dozen), and the /proc fd tables of its live
/// processes, read soon after every batch that opened, closed or inherited fds
/// (coalesced as the fd cards read them), the same tables the cards show.
class RecordingTap : public QObject
{
    Q_OBJECT
public:
    /// Not owned; it must outlive the tap.
    explicit RecordingTap(EventSource *source, QObject *parent = nullptr);

    /// The run just started (its runner is up): what it runs and with which parameters.
    void setRun(const QString &scenario, const QStringList &assignments);
    QString scenario() const { return m_scenario; }
    QStringList assignments() const { return m_assignments; }
    const std::vector<CounterSample> &samples() const { return m_samples; }
    const std::vector<FdSnapshot> &fdSnapshots() const { return m_fdSnapshots; }

    /// Reads the live processes' fd tables now (the coalescing timer calls it; tests too).
    void readFdTables();

private:
    void sample();
    void clear();

    EventSource *m_source;
    QString m_scenario;
    QStringList m_assignments;
    std::vector<CounterSample> m_samples;
    std::vector<FdSnapshot> m_fdSnapshots;
    QTimer m_soon;
};

} // namespace pipescope
