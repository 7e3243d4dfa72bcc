#include "ui/scene/animationclock.h"

namespace pipescope
{

AnimationClock::AnimationClock(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(16);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AnimationClock::tick);
    m_elapsed.start();
}

void AnimationClock::wake()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void AnimationClock::tick()
{
    ++m_frames;
    const bool moving = m_target && m_target(m_elapsed.elapsed());
    if (!moving && m_timer.isActive()) {
        m_timer.stop();
        Q_EMIT wentIdle();
    }
}

} // namespace pipescope
