#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"

#include <QObject>
#include <QString>
#include <QVector>

namespace pipescope
{

/// Where the window's events come from: a built-in scenario's run, a watched
/// pipeline, a traced program (and later a replayed file). Each folds its events
/// into a RunState and hands them on in batches on the GUI thread; the scene, the
/// log, the lessons and the counters draw any of them alike. What a source cannot
/// do (a watched pipeline is never stopped, so it cannot step) it says, with why.
class EventSource : public QObject
{
    Q_OBJECT
public:
    enum class Phase { Idle, Running, Paused, Finished };
    Q_ENUM(Phase)

    explicit EventSource(QObject *parent = nullptr) : QObject(parent) { }

    Phase phase() const { return m_phase; }
    /// The run as the events (and counters) so far describe it.
    const RunState &state() const { return m_state; }
    /// What runs, for the status line ("sh -c 'a | b'", "pid 4242", a scenario's name).
    virtual QString title() const = 0;
    /// Whether Step (and a click on a node) can release one call; why not, in words, when it cannot.
    virtual bool canStep(QString *why = nullptr) const;
    /// Whether slow motion (a pace) applies; why not when it cannot.
    virtual bool canPace(QString *why = nullptr) const;
    /// Whether Pause can hold the processes; why not when it cannot.
    virtual bool canPause(QString *why = nullptr) const;
    /// Seconds since the source started (0 before).
    virtual double elapsedSeconds() const;
    /// The status line when it ended ("finished: ok", or why a program could not be traced).
    virtual QString endText(int outcome) const;

public Q_SLOTS:
    virtual void pause() { }
    virtual void resume() { }
    virtual void step() { }
    /// Releases only this process for one call (a click on its node while paused).
    virtual void stepProcess(int pid) { Q_UNUSED(pid) }
    /// Slow motion at ms per call; 0 means full speed.
    virtual void setPace(int ms) { Q_UNUSED(ms) }
    virtual void fullSpeed() { }
    /// Ends what runs (what this source started is killed and reaped).
    virtual void stop() = 0;
    /// Stops and forgets.
    virtual void reset() = 0;

Q_SIGNALS:
    void runStarted();
    void eventsArrived(const QVector<pipescope::Event> &events);
    /// The counters in state() were refreshed (no new events needed).
    void countersSampled();
    void phaseChanged(pipescope::EventSource::Phase phase);
    void runFinished(int outcome);
    /// A Step released nobody, and why: a Step is never kept to be spent later.
    void stepRefused(const QString &why);
    void runReset();
    /// Which processes hold which pipe ends changed without an event saying so
    /// (seen from /proc): the scene redraws its connectors from state().
    void holdersChanged();
    /// A remark about one process to show on its node while it stays true
    /// ("bottleneck"); empty text: nothing to say about pid any more.
    void processNoted(int pid, const QString &text);
    /// A new line for the status bar while it runs ("watching ...; bottleneck: gzip (...)").
    void statusChanged(const QString &text);

protected:
    void setPhase(Phase phase);

    RunState m_state;

private:
    Phase m_phase = Phase::Idle;
};

} // namespace pipescope
