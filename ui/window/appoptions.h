#pragma once

#include "core/lessons/codelisting.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace pipescope
{

/// The GUI's command line:
/// `pipescope [--scenario NAME] [--set key=value]... [--run] [--pace MS] [--screenshot FILE.png] [--quit-after-ms N]
///  [--presenter] [--fd-tables] [--compare] [--export-trace FILE.json] [--export-svg FILE.svg] [--export-png FILE.png]
///  [--export-log FILE.txt] [--report-geometry] [--quiz] [--listing c|python]`,
/// `pipescope --watch -- COMMAND [ARGS...]` and `pipescope --watch-pid PID` (a running pipeline, watched),
/// `pipescope [--run] -- PROGRAM [ARGS...]` and `pipescope --attach PID` (a program of one's own, traced),
/// `pipescope --replay FILE`
/// (a recorded run, played back), each with the options above
/// that are not about a scenario.
/// Everything is checked up front (scenario name, each assignment against its
/// bounds), so a typo fails at once with one clear line instead of a window.
struct AppOptions {
    QString scenario; ///< empty: the last one used
    QStringList assignments; ///< "key=value"
    bool run = false;
    int paceMs = -1; ///< -1: not given
    QString screenshot;
    int quitAfterMs = 0; ///< 0: never
    bool presenter = false; ///< start in presenter mode (full screen, large type, minimal chrome)
    bool fdTables = false; ///< show the live fd table beside each process node
    bool compare = false; ///< run a pitfall's correct version beside it
    bool quiz = false; ///< start in quiz mode: predict, then reveal (Q toggles it)
    QString exportTrace; ///< Chrome trace JSON, written when the run ends
    QString exportSvg; ///< the scene as SVG, when the run ends
    QString exportPng; ///< the scene as PNG, when the run ends
    QString exportLog; ///< the event log as text, when the run ends
    /// Print the screen, the window and each scene's items in screen coordinates to stdout when the
    /// script ends (a test checks that presenter mode fits the screen).
    bool reportGeometry = false;
    QString helpText; ///< set for --help/--version: print it and exit 0
    QStringList watchCommand; ///< --watch -- COMMAND...: start it and watch it
    qint64 watchPid = 0; ///< --watch-pid PID: watch a running process and its pipeline
    QStringList traceProgram; ///< [--run] -- PROGRAM...: trace it
    qint64 attachPid = 0; ///< --attach PID: trace a running process (Stop detaches)
    QString replay; ///< --replay FILE: play a recorded run (checked to be one up front)
    /// --listing c|python: the code view's language (L switches it); nothing: the one last used.
    std::optional<ListingLanguage> listing;

    /// True when the stage shows a watched pipeline or a traced program, not a scenario.
    bool ownProgram() const
    {
        return !watchCommand.isEmpty() || watchPid > 0 || !traceProgram.isEmpty() || attachPid > 0;
    }

    /// Parses arguments (argv[0] first). On bad input returns nothing and sets error to one line.
    static std::optional<AppOptions> parse(const QStringList &arguments, QString *error);
    /// True when the window should run unattended (screenshot or time limit).
    bool scripted() const { return !screenshot.isEmpty() || quitAfterMs > 0 || exports(); }
    bool exports() const
    {
        return !exportTrace.isEmpty() || !exportSvg.isEmpty() || !exportPng.isEmpty() || !exportLog.isEmpty();
    }
};

} // namespace pipescope
