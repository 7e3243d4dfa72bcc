#pragma once

#include "core/model/event.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pipescope
{

class EventSource;
class ReplayController;
class RunController;
class TraceController;

/// File > Save run...: writes the run on stage as a recording (docs/recording-format.md)
/// that --replay and File > Open run... show again. A scenario's or a traced program's
/// run is saved once it has finished, from every event the window holds and its final
/// counters; a replay is saved as it was recorded. A watched pipeline is not a run of
/// events that a replay could rebuild (its counters come from /proc), so it is refused.
struct RunSaveRequest {
    const EventSource *shown = nullptr; ///< what is on stage (ActiveSource::source())
    const RunController *scenario = nullptr;
    QStringList assignments; ///< the scenario's parameters, "key=value"
    const TraceController *trace = nullptr;
    const ReplayController *replay = nullptr;
    QList<Event> events; ///< every event of the run, in order
};

class RunSaver
{
public:
    /// False, with *error set to one line, when nothing (or not all) could be written.
    static bool save(const QString &path, const RunSaveRequest &request, QString *error);
};

} // namespace pipescope
