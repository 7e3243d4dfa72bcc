#include "ui/window/runsaver.h"

#include "core/model/paramvalues.h"
#include "core/record/recordingwriter.h"
#include "ui/source/recordingtap.h"
#include "ui/source/replaycontroller.h"
#include "ui/source/runcontroller.h"
#include "ui/source/tracecontroller.h"

namespace pipescope
{

bool RunSaver::save(const QString &path, const RunSaveRequest &request, QString *error)
{
    const EventSource *shown = request.shown;
    if (shown && shown == request.replay)
        return request.replay->save(path, error);
    RecordingHeader header;
    const RecordingTap *tap = nullptr;
    if (shown && shown == request.scenario) {
        // The values the run started with: the editor may have moved on since.
        tap = request.scenarioTap && request.scenarioTap->scenario() == request.scenario->scenario()
            ? request.scenarioTap
            : nullptr;
        std::vector<std::pair<std::string, std::string>> params;
        for (const QString &a : tap ? tap->assignments() : request.assignments) {
            bool ok = false;
            params.push_back(ParamValues::splitAssignment(a.toStdString(), &ok));
        }
        header = RecordingHeader::forScenario(request.scenario->scenario().toStdString(), params);
    } else if (shown && shown == request.trace) {
        std::vector<std::string> argv;
        for (const QString &arg : request.trace->program())
            argv.push_back(arg.toStdString());
        header = RecordingHeader::forTrace(argv);
    } else {
        *error = QStringLiteral("a watched pipeline is not saved as a run (its counters come from /proc, not "
                                "events): save a scenario's run or a traced program's");
        return false;
    }
    // A recording ends with run-finished, so that a truncated file can be told from a whole one.
    if (shown->phase() != EventSource::Phase::Finished || request.events.isEmpty()) {
        *error = QStringLiteral("the run has not finished: save it once it has (Stop ends it)");
        return false;
    }
    const std::vector<Event> events(request.events.begin(), request.events.end());
    std::string problem;
    if (!RecordingWriter::writeRun(path.toStdString(), header, events,
            CounterSample::fromState(shown->state(), events.back().timeNs), &problem,
            tap ? tap->samples() : std::vector<CounterSample> {},
            tap ? tap->fdSnapshots() : std::vector<FdSnapshot> {})) {
        *error = QString::fromStdString(problem);
        return false;
    }
    return true;
}

} // namespace pipescope
