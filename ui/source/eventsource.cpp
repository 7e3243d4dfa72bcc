#include "ui/source/eventsource.h"

#include <time.h>

namespace pipescope
{

bool EventSource::canStep(QString *why) const
{
    Q_UNUSED(why)
    return true;
}

bool EventSource::canPace(QString *why) const
{
    Q_UNUSED(why)
    return true;
}

bool EventSource::canPause(QString *why) const
{
    Q_UNUSED(why)
    return true;
}

double EventSource::elapsedSeconds() const
{
    if (m_state.startNs() == 0)
        return 0;
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const std::int64_t now = std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
    return static_cast<double>(now - m_state.startNs()) / 1e9;
}

QString EventSource::endText(int outcome) const
{
    return QStringLiteral("finished: %1").arg(QString::fromLatin1(outcomeName(outcome)));
}

void EventSource::setPhase(Phase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}

} // namespace pipescope
