#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"
#include "core/run/control.h"

#include <QObject>
#include <QPair>
#include <QStringList>
#include <QTimer>
#include <QVector>

#include <memory>

class QSocketNotifier;

namespace pipescope
{

class RunSession;

/// The GUI's side of one run: wraps a RunSession without ever blocking on it.
/// Events arrive through a QSocketNotifier on the runner's pipe and are folded
/// into a RunState, then handed on in batches; the shared counters are sampled
/// at 25 Hz so byte counts stay exact at full speed, where most reads and
/// writes are counted rather than logged.
class RunController : public QObject
{
    Q_OBJECT
public:
    enum class Phase { Idle, Running, Paused, Finished };
    Q_ENUM(Phase)

    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    /// Starts a run; false with a one-line reason when the request is refused.
    /// paceMs > 0 runs in slow motion, 0 at full speed; startHeld starts paused (Step mode).
    bool start(
        const QString &scenario, const QStringList &assignments, int paceMs, bool startHeld, QString *error = nullptr);

    Phase phase() const { return m_phase; }
    const RunState &state() const { return m_state; }
    /// The pace of slow motion in ms (0: full speed).
    int pace() const { return m_paceMs; }
    /// Steps released since the run started (each lets one held process make one syscall).
    int stepsTaken() const { return m_steps; }
    /// The runner's pid while a session is alive, else -1.
    qint64 runnerPid() const;
    QString scenario() const { return m_scenario; }
    /// Milliseconds since the run started (the runner's clock).
    double elapsedSeconds() const;

public Q_SLOTS:
    /// Holds every process at its next gate.
    void pause();
    /// Leaves Paused for slow motion (pace > 0) or full speed.
    void resume();
    /// Releases one held process for one syscall (pauses first when running).
    void step();
    /// Releases only this process's gate (when it is held there): the lecturer picks who goes next.
    void stepProcess(int pid);
    /// Slow motion at ms per step; 0 means full speed. Applies at once when running.
    void setPace(int ms);
    void fullSpeed();
    /// Kills and reaps the scenario's tree; returns when nothing is left.
    void stop();
    /// Stops and forgets the run.
    void reset();
    /// Reads whatever the runner has sent; called by the notifier (public for tests).
    void readEvents();
    /// Folds the shared counters in; called by the 25 Hz timer.
    void sampleCounters();

Q_SIGNALS:
    void runStarted();
    void eventsArrived(const QVector<pipescope::Event> &events);
    void countersSampled();
    void phaseChanged(pipescope::RunController::Phase phase);
    void runFinished(int outcome);
    /// The runner answered a Step that released nobody, and why ("every process is asleep in
    /// the kernel; Step cannot wake them"): a Step is never kept to be spent later.
    void stepRefused(const QString &why);
    void runReset();

private:
    void setPhase(Phase phase);
    void finish();
    void release();

    std::unique_ptr<RunSession> m_session;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_sampler;
    RunState m_state;
    QString m_scenario;
    Phase m_phase = Phase::Idle;
    int m_paceMs = 0;
    int m_steps = 0;
    int m_runnerEventPid = -1; ///< pid of the RunStarted event: the runner's own notes come from it
};

} // namespace pipescope
