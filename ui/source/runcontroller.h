#pragma once

#include "core/run/control.h"
#include "ui/source/eventsource.h"

#include <QPair>
#include <QStringList>
#include <QTimer>

#include <memory>

class QSocketNotifier;

namespace pipescope
{

class RunSession;

/// The GUI's side of one run: wraps a RunSession without ever blocking on it.
/// Events arrive through a QSocketNotifier on the runner's pipe and are folded
/// into a RunState, then handed on in batches; the shared counters are sampled
/// at 25 Hz so byte counts stay exact at full speed, where most reads and
/// writes are counted rather than logged. The source of a built-in scenario's run.
class RunController : public EventSource
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    /// Starts a run; false with a one-line reason when the request is refused.
    /// paceMs > 0 runs in slow motion, 0 at full speed; startHeld starts paused (Step mode).
    bool start(
        const QString &scenario, const QStringList &assignments, int paceMs, bool startHeld, QString *error = nullptr);

    QString title() const override { return m_scenario; }
    /// The pace of slow motion in ms (0: full speed).
    int pace() const { return m_paceMs; }
    /// Steps released since the run started (each lets one held process make one syscall).
    int stepsTaken() const { return m_steps; }
    /// The runner's pid while a session is alive, else -1.
    qint64 runnerPid() const;
    QString scenario() const { return m_scenario; }
    /// Quiz mode: the runner holds every gate (and every exit) and only releaseGate opens one,
    /// so no pace can release a call while the class guesses; Step asks quizStepRequested.
    void setQuizMode(bool on);
    bool quizMode() const { return m_quizMode; }
    /// Opens one process's gate for one call, leaving the phase as it is (quiz mode's pacing).
    void releaseGate(int pid);

public Q_SLOTS:
    /// Holds every process at its next gate.
    void pause() override;
    /// Leaves Paused for slow motion (pace > 0) or full speed.
    void resume() override;
    /// Releases one held process for one syscall (pauses first when running).
    void step() override;
    /// Releases only this process's gate (when it is held there): the lecturer picks who goes next.
    void stepProcess(int pid) override;
    /// Slow motion at ms per step; 0 means full speed. Applies at once when running.
    void setPace(int ms) override;
    void fullSpeed() override;
    /// Kills and reaps the scenario's tree; returns when nothing is left.
    void stop() override;
    /// Stops and forgets the run.
    void reset() override;
    /// Reads whatever the runner has sent; called by the notifier (public for tests).
    void readEvents();
    /// Folds the shared counters in; called by the 25 Hz timer.
    void sampleCounters();

Q_SIGNALS:
    /// Step was pressed in quiz mode: the quiz decides what it releases (it may ask first).
    void quizStepRequested();

private:
    void finish();
    void release();

    std::unique_ptr<RunSession> m_session;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_sampler;
    QString m_scenario;
    int m_paceMs = 0;
    int m_steps = 0;
    int m_runnerEventPid = -1;
    bool m_quizMode = false; ///< pid of the RunStarted event: the runner's own notes come from it
};

} // namespace pipescope
