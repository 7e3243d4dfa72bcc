#pragma once

#include "ui/source/eventsource.h"
#include "ui/source/recording.h"

#include <QElapsedTimer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace pipescope
{

struct SharedState;

/// A recorded run as a source (pipescope --replay FILE, File > Open run...): the
/// file's events and counter samples are applied in order to a RunState, exactly
/// as a live run applies them, so the same scene, log, lessons and counters draw
/// it. Full speed plays it in the time it was recorded in; slow motion shows one
/// event per pace; Step shows the next event; seek() moves to any event, forwards
/// or backwards (backwards rebuilds the state from the start, so event N always
/// looks the same).
class ReplayController : public EventSource
{
    Q_OBJECT
public:
    explicit ReplayController(QObject *parent = nullptr);
    ~ReplayController() override;

    /// Reads path and shows it from its start, playing at the pace set (or paused at
    /// its first event when startPaused). False, with *error naming the line and the
    /// problem, when the file is not a recording this build can show; what was on
    /// stage is then left as it was.
    bool load(const QString &path, bool startPaused, QString *error);
    /// The same with a recording already read.
    void show(Recording recording, bool startPaused);

    const Recording &recording() const { return m_recording; }
    /// The recorded scenario's name (empty for a traced program).
    QString scenario() const;
    /// "replay of parent-child (message=hi) recorded on 2026-11-30 13:16 UTC on Linux 6.1.0".
    QString title() const override;
    /// Events shown so far, and in the whole recording.
    int position() const { return m_position; }
    int eventCount() const { return m_recording.eventCount; }
    /// Seconds from the recorded run's start to the last event shown.
    double elapsedSeconds() const override;
    QString endText(int outcome) const override;
    /// Writes the whole recording shown (header as recorded, every event and sample) to path.
    bool save(const QString &path, QString *error) const;
    /// The pace of slow motion (0: the recorded timing).
    int pace() const { return m_paceMs; }
    /// The /proc fd tables recorded last before the event shown; nothing before the first
    /// (or in a recording that holds none: a version 1 file, a traced program).
    const std::optional<FdSnapshot> &fdTables() const { return m_fdTables; }
    /// Quiz mode: asked after each GateWait that playing or Step shows; true holds the replay
    /// just past it (paused) until releaseHold(), so neither Step nor the pace runs past a question.
    void setHoldAt(std::function<bool(const Event &, const RunState &)> holdAt) { m_holdAt = std::move(holdAt); }
    bool held() const { return m_held; }
    /// The question was answered: playing and Step go on.
    void releaseHold() { m_held = false; }

public Q_SLOTS:
    void pause() override;
    void resume() override;
    /// Shows the next event (pausing first when playing).
    void step() override;
    /// A replay cannot hold one process: shows the next event of any.
    void stepProcess(int pid) override;
    void setPace(int ms) override;
    void fullSpeed() override;
    /// Stops playing where it is (nothing runs to be killed).
    void stop() override;
    void reset() override;
    /// Shows the run after exactly `events` events (0 .. eventCount()), paused.
    void seek(int events);
    /// One event back (paused).
    void stepBack();
    /// From the start again, playing at the pace set.
    void restart();

Q_SIGNALS:
    /// The event shown changed (a step, a seek, or playing).
    void positionChanged(int position, int count);
    /// fdTables() changed: the recorded tables of a later moment are shown.
    void fdTablesChanged();

private:
    /// Applies steps up to (not including) step index `end`, then tells the window in one batch.
    void applyUntil(std::size_t end, bool mayHold = false);
    /// The step index just past the n-th event and the samples after it.
    std::size_t stepIndexAfter(int events) const;
    void tick();
    void startPlaying();
    void rebuild();

    Recording m_recording;
    std::optional<FdSnapshot> m_fdTables;
    std::unique_ptr<SharedState> m_counters; ///< a sample, laid out as the live counters for applyCounters
    std::size_t m_next = 0; ///< next step index to apply
    int m_position = 0;
    int m_paceMs = 0;
    bool m_loaded = false;
    std::function<bool(const Event &, const RunState &)> m_holdAt;
    bool m_held = false;
    QTimer m_timer;
    QElapsedTimer m_clock; ///< full speed: time since playing started
    std::int64_t m_playFromNs = 0; ///< full speed: the recorded time playing started at
};

} // namespace pipescope
