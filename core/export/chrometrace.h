#pragma once

#include "event.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace pipescope
{

class RunState;

/// Builds Chrome Trace Event JSON (opens in Perfetto and chrome://tracing):
/// one lane per process, syscalls as slices with their real durations,
/// kernel observations as instant marks, and a counter track per pipe with
/// the bytes in it (written minus read, derived from the events).
class ChromeTrace
{
public:
    void add(const Event &event, const RunState &state);
    QJsonObject document() const;
    QByteArray toJson() const;

private:
    void nameLane(const Event &event, const RunState &state);

    QJsonArray m_events;
    qint64 m_startNs = 0;
    int m_runnerPid = 0;
    QHash<int, bool> m_named;
    QHash<quint64, qint64> m_fill;
};

} // namespace pipescope
