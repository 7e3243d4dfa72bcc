#include "appoptions.h"

#include "scenariocatalog.h"

#include <QCommandLineParser>

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
    parser.addOptions({scenario, set, run, pace, screenshot, quit});
    parser.addHelpOption();
    parser.addVersionOption();
    auto fail = [&](const QString &text) -> std::optional<AppOptions> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("version")))
        return fail(parser.helpText().trimmed().section(QLatin1Char('\n'), 0, 0));
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));

    AppOptions o;
    o.scenario = parser.value(scenario);
    o.assignments = parser.values(set);
    o.run = parser.isSet(run);
    o.screenshot = parser.value(screenshot);
    if (!o.scenario.isEmpty() || !o.assignments.isEmpty()) {
        if (o.scenario.isEmpty())
            return fail(QStringLiteral("--set needs --scenario NAME"));
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const QString &a : std::as_const(o.assignments)) {
            bool ok = false;
            pairs.push_back(ScenarioCatalog::splitAssignment(a.toStdString(), &ok));
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
    if (!o.screenshot.isEmpty() && !o.screenshot.endsWith(QLatin1String(".png"), Qt::CaseInsensitive))
        return fail(QStringLiteral("--screenshot: '%1' must end in .png").arg(o.screenshot));
    return o;
}

} // namespace pipescope
