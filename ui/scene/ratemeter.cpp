#include "ui/scene/ratemeter.h"

namespace pipescope
{

double RateMeter::update(quint64 key, qint64 value, qint64 nowMs)
{
    Entry &e = m_entries[key];
    if (e.timeMs < 0) {
        e = {value, nowMs, nowMs, 0, -1, value};
        return 0;
    }
    const qint64 dt = nowMs - e.timeMs;
    if (dt < 30) // too close to the last sample to say anything
        return shown(e);
    const double instant = static_cast<double>(value - e.value) * 1000.0 / static_cast<double>(dt);
    if (value != e.value) {
        if (e.flowStartMs < 0) { // a flow begins: from the last sample that saw none of it
            e.flowStartMs = e.timeMs;
            e.flowStartValue = e.value;
        }
        e.lastChangeMs = nowMs;
    }
    e.rate = e.rate == 0 ? instant : 0.6 * e.rate + 0.4 * instant;
    // Stalled for half a second: say 0 rather than let the average trail off.
    if (nowMs - e.lastChangeMs > 500) {
        e.rate = 0;
        e.flowStartMs = -1;
    }
    e.value = value;
    e.timeMs = nowMs;
    return shown(e);
}

double RateMeter::shown(const Entry &e)
{
    if (e.flowStartMs < 0 || e.timeMs - e.flowStartMs < kMinFlowMs || e.value - e.flowStartValue < kMinBytes)
        return 0;
    return e.rate;
}

} // namespace pipescope
