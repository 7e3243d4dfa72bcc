#pragma once

#include "core/model/event.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pipescope
{

class EventSource;
class RecordingTap;
class ReplayController;
class RunController;
class TraceController;

/// File > Save run...: writes the run on stage as a recording (docs/recording-format.md)
/// that --replay and File > Open run... show again. A scenario's or a traced program's
/// run is saved once it has finished, from every event the window holds, the counter
/// samples and fd tables its RecordingTap kept while it ran, and its final counters;
/// a scenario's parameters are those it ran with, not what the editor shows now.
/// A replay is saved as it was recorded. A watched pipeline is not a run of
/// events that a replay could rebuild (its counters come from /proc), so it is refused.
struct RunSaveRequest {
    const EventSource *shown = nullptr; ///< what is on stage (ActiveSource::source())
    const RunController *scenario = nullptr;
    QStringList assignments; ///< the editor's parameters, "key=value": used only when no tap knows the run's
    const RecordingTap *scenarioTap = nullptr; ///< the scenario run's parameters, samples and fd tables
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
