#include "ui/window/appoptions.h"

#include "core/scenarios/scenariocatalog.h"
#include "ui/source/recordingreader.h"
#include "ui/source/tracecontroller.h"
#include "ui/source/watchcontroller.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace pipescope
{

std::optional<AppOptions> AppOptions::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Watch real processes talk through real pipes."));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"), QStringLiteral("Scenario to open."), QStringLiteral("NAME"));
    const QCommandLineOption set(
        QStringLiteral("set"), QStringLiteral("Scenario parameter."), QStringLiteral("key=value"));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Start the run at once."));
    const QCommandLineOption pace(
        QStringLiteral("pace"), QStringLiteral("Slow motion: ms between steps (0: full speed)."), QStringLiteral("MS"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window when the run ends (or at the time limit), then quit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption quit(
        QStringLiteral("quit-after-ms"), QStringLiteral("Quit after this many ms."), QStringLiteral("N"));
    const QCommandLineOption presenter(
        QStringLiteral("presenter"), QStringLiteral("Start in presenter mode: full screen, large type, F1 for help."));
    const QCommandLineOption fdTables(QStringLiteral("fd-tables"),
        QStringLiteral("Show each process's live fd table beside its node (Shift+D toggles it)."));
    const QCommandLineOption quiz(QStringLiteral("quiz"),
        QStringLiteral("Quiz mode: before each call whose outcome is a lesson the run stops and asks; 1-4 give the "
                       "class's answer, then the kernel's is shown (Q toggles it)."));
    const QCommandLineOption compare(QStringLiteral("compare"),
        QStringLiteral("Run a pitfall's correct version side by side with it (S toggles it)."));
    const QCommandLineOption exportTrace(QStringLiteral("export-trace"),
        QStringLiteral("When the run ends, save its trace as Chrome JSON (Perfetto, chrome://tracing)."),
        QStringLiteral("FILE.json"));
    const QCommandLineOption exportSvg(QStringLiteral("export-svg"),
        QStringLiteral("When the run ends, save the scene as SVG."), QStringLiteral("FILE.svg"));
    const QCommandLineOption exportPng(QStringLiteral("export-png"),
        QStringLiteral("When the run ends, save the scene as PNG."), QStringLiteral("FILE.png"));
    const QCommandLineOption exportLog(QStringLiteral("export-log"),
        QStringLiteral("When the run ends, save the event log as text."), QStringLiteral("FILE.txt"));
    const QCommandLineOption reportGeometry(QStringLiteral("report-geometry"),
        QStringLiteral("When the script ends, print the screen, the window and every scene's items in screen "
                       "coordinates (lines 'screen', 'available', 'window', 'minimum', 'view', 'items': x y w h)."));
    const QCommandLineOption watch(QStringLiteral("watch"),
        QStringLiteral("Watch a pipeline at its full speed: pipescope --watch -- COMMAND [ARGS...] "
                       "(a pipeline: --watch -- sh -c 'a | b | c'). Without --watch, -- PROGRAM [ARGS...] traces "
                       "PROGRAM."));
    const QCommandLineOption watchPid(QStringLiteral("watch-pid"),
        QStringLiteral("Watch a running process, its descendants and the other stages of its pipeline."),
        QStringLiteral("PID"));
    const QCommandLineOption replay(QStringLiteral("replay"),
        QStringLiteral("Play a recorded run (pipescope-cli run --record FILE, File > Save run...) instead of a live "
                       "one."),
        QStringLiteral("FILE"));
    const QCommandLineOption attach(QStringLiteral("attach"),
        QStringLiteral("Trace a running process, its descendants and the other stages of its pipeline, steppable; "
                       "Stop detaches and the program keeps running."),
        QStringLiteral("PID"));
    const QCommandLineOption listing(QStringLiteral("listing"),
        QStringLiteral("The code view's language: c (the scenario's own code) or python (the tutorial's os.pipe, "
                       "os.fork, subprocess.Popen); L switches it. Default: the one last used."),
        QStringLiteral("c|python"));
    parser.addOptions({scenario, set, run, pace, screenshot, quit, presenter, fdTables, compare, exportTrace, exportSvg,
        exportPng, exportLog, reportGeometry, watch, watchPid, replay, attach, quiz, listing});
    parser.addHelpOption();
    parser.addVersionOption();
    auto fail = [&](const QString &text) -> std::optional<AppOptions> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("version"))) {
        AppOptions help;
        help.helpText = parser.isSet(QStringLiteral("help"))
            ? parser.helpText()
            : QStringLiteral("pipescope %1\n").arg(QCoreApplication::applicationVersion());
        return help;
    }
    // A program of one's own comes after "--", so that its own options stay its own.
    const qsizetype dashes = arguments.indexOf(QStringLiteral("--"));
    const QStringList program = dashes > 0 ? arguments.mid(dashes + 1) : QStringList();
    if (parser.positionalArguments().size() != program.size())
        return fail(QStringLiteral("unexpected argument '%1' (a program to trace or watch comes after --)")
                        .arg(parser.positionalArguments().constFirst()));

    AppOptions o;
    if (parser.isSet(watch)) {
        if (program.isEmpty())
            return fail(QStringLiteral("--watch needs a command: pipescope --watch -- COMMAND [ARGS...]"));
        o.watchCommand = program;
    } else if (!program.isEmpty()) {
        if (const QString why = TraceController::refusal(program); !why.isEmpty())
            return fail(why);
        o.traceProgram = program;
    } else if (dashes > 0) {
        return fail(QStringLiteral("nothing after --: pipescope [--run] -- PROGRAM [ARGS...]"));
    }
    if (parser.isSet(watchPid)) {
        if (!program.isEmpty())
            return fail(QStringLiteral("--watch-pid watches a running process: it takes no program after --"));
        bool isNumber = false;
        o.watchPid = parser.value(watchPid).toLongLong(&isNumber);
        if (!isNumber || o.watchPid <= 0)
            return fail(QStringLiteral("--watch-pid: '%1' is not a process id").arg(parser.value(watchPid)));
        if (const QString why = WatchController::refusal(o.watchPid); !why.isEmpty())
            return fail(QStringLiteral("--watch-pid: %1").arg(why));
    }
    if (parser.isSet(attach)) {
        if (!program.isEmpty() || parser.isSet(watch) || parser.isSet(watchPid))
            return fail(QStringLiteral("--attach traces a running process: no program after --, no --watch"));
        bool isNumber = false;
        o.attachPid = parser.value(attach).toLongLong(&isNumber);
        if (!isNumber || o.attachPid <= 0)
            return fail(QStringLiteral("--attach: '%1' is not a process id").arg(parser.value(attach)));
        if (const QString why = TraceController::attachRefusal(o.attachPid); !why.isEmpty())
            return fail(QStringLiteral("--attach: %1").arg(why));
    }
    if (o.ownProgram()) {
        const QString what = !o.traceProgram.isEmpty() || o.attachPid > 0 ? QStringLiteral("a traced program")
                                                                          : QStringLiteral("a watched pipeline");
        for (const QCommandLineOption *scenarioOnly : {&scenario, &set, &compare})
            if (parser.isSet(*scenarioOnly))
                return fail(
                    QStringLiteral("--%1 is about a scenario, not %2").arg(scenarioOnly->names().constFirst(), what));
        if (o.traceProgram.isEmpty() && o.attachPid == 0 && parser.isSet(pace))
            return fail(QStringLiteral("--pace: a watched pipeline is never slowed down"));
    }
    if (parser.isSet(replay)) {
        if (o.ownProgram())
            return fail(QStringLiteral("--replay plays a recorded run: it takes no program to trace or watch"));
        for (const QCommandLineOption *live : {&scenario, &set, &compare, &run})
            if (parser.isSet(*live))
                return fail(QStringLiteral("--%1 is about a live run, not a replay").arg(live->names().constFirst()));
        QString why;
        if (!RecordingReader::readFile(parser.value(replay), &why))
            return fail(QStringLiteral("--replay: %1").arg(why));
        o.replay = parser.value(replay);
    }
    o.scenario = parser.value(scenario);
    o.assignments = parser.values(set);
    o.run = parser.isSet(run);
    o.screenshot = parser.value(screenshot);
    o.presenter = parser.isSet(presenter);
    o.fdTables = parser.isSet(fdTables);
    o.quiz = parser.isSet(quiz);
    o.compare = parser.isSet(compare);
    o.exportTrace = parser.value(exportTrace);
    o.exportSvg = parser.value(exportSvg);
    o.exportPng = parser.value(exportPng);
    o.exportLog = parser.value(exportLog);
    o.reportGeometry = parser.isSet(reportGeometry);
    if (parser.isSet(listing)) {
        o.listing = listingLanguageFromName(parser.value(listing).toStdString());
        if (!o.listing)
            return fail(
                QStringLiteral("--listing: '%1' is not a listing language (c or python)").arg(parser.value(listing)));
    }
    if (!o.scenario.isEmpty() || !o.assignments.isEmpty()) {
        if (o.scenario.isEmpty())
            return fail(QStringLiteral("--set needs --scenario NAME"));
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const QString &a : std::as_const(o.assignments)) {
            bool ok = false;
            pairs.push_back(ParamValues::splitAssignment(a.toStdString(), &ok));
            if (!ok)
                return fail(QStringLiteral("--set wants key=value, got '%1'").arg(a));
        }
        const ResolvedScenario r = ScenarioCatalog::resolve(o.scenario.toStdString(), pairs);
        if (!r.ok())
            return fail(QString::fromStdString(r.error));
    }
    bool ok = true;
    if (parser.isSet(pace)) {
        o.paceMs = parser.value(pace).toInt(&ok);
        if (!ok || o.paceMs < 0 || o.paceMs > 2000)
            return fail(
                QStringLiteral("--pace: '%1' is not a number of milliseconds (0 .. 2000)").arg(parser.value(pace)));
    }
    if (parser.isSet(quit)) {
        o.quitAfterMs = parser.value(quit).toInt(&ok);
        if (!ok || o.quitAfterMs <= 0)
            return fail(QStringLiteral("--quit-after-ms: '%1' is not a positive number of milliseconds")
                            .arg(parser.value(quit)));
    }
    const std::pair<const QString *, const char *> files[] = {{&o.screenshot, ".png"}, {&o.exportTrace, ".json"},
        {&o.exportSvg, ".svg"}, {&o.exportPng, ".png"}, {&o.exportLog, ".txt"}};
    const char *names[] = {"screenshot", "export-trace", "export-svg", "export-png", "export-log"};
    for (std::size_t i = 0; i < std::size(files); ++i) {
        const QString &file = *files[i].first;
        if (!file.isEmpty() && !file.endsWith(QLatin1String(files[i].second), Qt::CaseInsensitive))
            return fail(QStringLiteral("--%1: '%2' must end in %3")
                            .arg(QLatin1String(names[i]), file, QLatin1String(files[i].second)));
    }
    if (o.exports() && !o.run && !o.ownProgram() && o.replay.isEmpty())
        return fail(QStringLiteral("--export-* saves a run: add --run"));
    if (o.reportGeometry && !o.scripted())
        return fail(QStringLiteral("--report-geometry prints when the script ends: add --quit-after-ms N"));
    return o;
}

} // namespace pipescope
