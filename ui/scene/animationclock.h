#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace pipescope
{

/// The one timer behind every animation. It ticks at about 60 Hz while the
/// target says something still moves, and stops itself as soon as nothing does,
/// so an idle window costs no CPU. Anything that starts moving calls wake().
class AnimationClock : public QObject
{
    Q_OBJECT
public:
    /// Called once per frame with the clock's time in ms; returns true while anything still moves.
    using Target = std::function<bool(qint64 nowMs)>;

    explicit AnimationClock(QObject *parent = nullptr);

    void setTarget(Target target) { m_target = std::move(target); }
    /// Starts ticking (no-op when already running).
    void wake();
    bool isRunning() const { return m_timer.isActive(); }
    qint64 now() const { return m_elapsed.elapsed(); }
    /// Frames drawn since construction (for tests and the frame-time benchmark).
    quint64 frames() const { return m_frames; }

public Q_SLOTS:
    /// Advances one frame now; stops the timer when nothing moves.
    void tick();

Q_SIGNALS:
    void wentIdle();

private:
    QTimer m_timer;
    QElapsedTimer m_elapsed;
    Target m_target;
    quint64 m_frames = 0;
};

} // namespace pipescope
