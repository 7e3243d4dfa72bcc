#include "app/pipescope-cli/clicommand.h"

#include "app/pipescope-cli/errorline.h"
#include "app/pipescope-cli/eventprinter.h"
#include "app/pipescope-cli/tracecommand.h"
#include "app/pipescope-cli/watchcommand.h"

#include "core/export/jsonwriter.h"
#include "core/lessons/platforminfo.h"
#include "core/model/eventformat.h"
#include "core/model/paramspec.h"
#include "core/model/runstate.h"
#include "core/record/recordingwriter.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "core/session/runsession.h"

#include <QCommandLineParser>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string_view>

namespace pipescope
{

namespace
{

std::atomic<bool> g_cancel {false};
constexpr int kMaxTimeLimitMs = 86400000; // a day: runs that must end are shorter

std::int64_t monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

void print(FILE *f, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), f);
}

void print(FILE *f, const std::string &text)
{
    std::fwrite(text.data(), 1, text.size(), f);
}

/// Says whether a scenario can run without end for some valid parameters, and with which:
/// one that execs a program of the user's choice runs as long as that program does.
std::optional<std::string> mayRunForever(const Scenario &s)
{
    for (const ParamSpec &p : s.params()) {
        if (p.name == "program" && p.type == ParamType::Text)
            return "with a program that never ends by itself (program=yes: data keeps flowing, so --watchdog never "
                   "fires); stop it with --time-limit MS";
    }
    return std::nullopt;
}

/// One scenario as a JSON object: its parameters with their types, bounds and
/// defaults, its rules, and when it may run for ever.
std::string listingJson(const Scenario &s)
{
    std::string params = "[";
    for (const ParamSpec &p : s.params()) {
        JsonWriter o;
        o.add("name", p.name).add("type", paramTypeName(p.type)).add("default", p.defaultValue);
        if (p.type != ParamType::Bool)
            o.add("min", p.min).add("max", p.max);
        o.add("bounds", p.boundsText()).add("description", p.description);
        params += (params.size() > 1 ? "," : "") + o.str();
    }
    std::string rules = "[";
    for (const std::string &rule : s.rules())
        rules += (rules.size() > 1 ? "," : "") + JsonWriter::quote(rule);
    JsonWriter o;
    o.add("name", s.name()).add("description", s.description());
    o.addRaw("params", params + "]").addRaw("rules", rules + "]");
    if (const auto endless = mayRunForever(s))
        o.add("may_run_forever", *endless).add("forever_param", "program");
    return o.str();
}

} // namespace

void CliCommand::requestCancel()
{
    g_cancel.store(true);
    TraceCommand::requestCancel();
}

void CliCommand::error(const QString &text)
{
    print(m_err, cliErrorLine(text.toStdString()));
}

int CliCommand::exec(const QStringList &arguments)
{
    const QString usage
        = QStringLiteral(
              "usage: pipescope-cli list [--format text|jsonl]\n"
              "       pipescope-cli platform\n"
              "       pipescope-cli run NAME [--set key=value]... [--format text|jsonl|chrome] [--pace MS] [--step] "
              "[--watchdog MS] [--time-limit MS] [--record FILE]\n"
              "       pipescope-cli trace [--format text|jsonl|chrome] [--pace MS] [--step] [--output FILE] "
              "[--control-fd N] [--record FILE] -- PROGRAM [ARGS...]\n"
              "       pipescope-cli trace --attach PID [--follow-pipes] [same options] (trace --help: details)\n")
        + QString::fromLatin1(WatchCommand::usage());
    if (arguments.size() < 2 || arguments.at(1) == QLatin1String("--help") || arguments.at(1) == QLatin1String("-h")) {
        print(arguments.size() < 2 ? m_err : m_out, usage);
        return arguments.size() < 2 ? 2 : 0;
    }
    const QString command = arguments.at(1);
    if (command == QLatin1String("list"))
        return list(arguments);
    if (command == QLatin1String("platform")) {
        print(m_out, PlatformInfo::read().text());
        return 0;
    }
    if (command == QLatin1String("run"))
        return run(arguments);
    if (command == QLatin1String("trace"))
        return TraceCommand(m_out, m_err, m_in).exec(arguments);
    if (command == QLatin1String("watch"))
        return WatchCommand(m_out, m_err, g_cancel).exec(arguments);
    error(QStringLiteral("unknown command '%1'").arg(command));
    print(m_err, usage);
    return 2;
}

int CliCommand::exec(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (const auto problem = utf8Problem(arg); problem && i > 0) {
            // Name the parameter when the bad bytes are in a --set value, as resolve would.
            const bool isSet = arg.rfind("--set=", 0) == 0 || std::string_view(argv[i - 1]) == "--set";
            const std::string_view assignment = arg.rfind("--set=", 0) == 0 ? arg.substr(6) : arg;
            const auto eq = assignment.find('=');
            const std::string_view key = eq == std::string_view::npos ? std::string_view() : assignment.substr(0, eq);
            if (isSet && !key.empty() && !utf8Problem(key)) {
                const auto inValue = utf8Problem(assignment.substr(eq + 1));
                error(QString::fromStdString(
                    std::string(key) + ": " + inValue.value_or(*problem) + "; parameter values take UTF-8 only"));
            } else {
                error(QString::fromStdString(
                    "argument " + std::to_string(i) + ": " + *problem + "; pipescope-cli takes UTF-8 only"));
            }
            return 2;
        }
        arguments << QString::fromUtf8(arg.data(), static_cast<qsizetype>(arg.size()));
    }
    return exec(arguments);
}

int CliCommand::list(const QStringList &arguments)
{
    const QStringList rest = arguments.mid(2);
    const auto asks = [&rest](const char *format) {
        const QString name = QString::fromLatin1(format);
        return rest == QStringList {QStringLiteral("--format"), name}
        || rest == QStringList {QStringLiteral("--format=") + name};
    };
    const bool jsonl = asks("jsonl");
    if (!jsonl && !rest.isEmpty() && !asks("text")) {
        error(QStringLiteral("list takes only --format text|jsonl, got '%1'").arg(rest.join(QLatin1Char(' '))));
        return 2;
    }
    if (jsonl) {
        // One object per scenario, for scripts (scripts/soak draws valid parameters from it).
        for (const Scenario *s : ScenarioCatalog::all())
            print(m_out, listingJson(*s) + "\n");
        return 0;
    }
    // How to write a value first: the same rules hold for every scenario below.
    print(m_out, QStringLiteral("Parameters: --set key=value, each key at most once. Values by type:\n"));
    for (const ParamType type : {ParamType::Int, ParamType::Size, ParamType::Bool, ParamType::Text})
        print(m_out,
            QStringLiteral("    %1  %2\n")
                .arg(QString::fromLatin1(paramTypeName(type)), -4)
                .arg(QString::fromUtf8(paramSyntax(type))));
    print(m_out, QStringLiteral("\n"));
    for (const Scenario *s : ScenarioCatalog::all()) {
        print(m_out,
            QStringLiteral("%1\n    %2\n")
                .arg(QString::fromUtf8(s->name().data(), static_cast<qsizetype>(s->name().size())),
                    QString::fromUtf8(s->description().data(), static_cast<qsizetype>(s->description().size()))));
        for (const ParamSpec &p : s->params()) {
            print(m_out,
                QStringLiteral("    --set %1=%2  (%3, %4) %5\n")
                    .arg(QString::fromStdString(p.name),
                        p.defaultValue.empty() ? QStringLiteral("\"\"") : QString::fromStdString(p.defaultValue),
                        QString::fromLatin1(paramTypeName(p.type)), QString::fromStdString(p.boundsText()),
                        QString::fromStdString(p.description)));
        }
        for (const std::string &rule : s->rules())
            print(m_out, "    rule: " + rule + "\n");
        if (const auto endless = mayRunForever(*s))
            print(m_out, "    may run for ever: " + *endless + "\n");
    }
    return 0;
}

std::optional<CliCommand::RunArguments> CliCommand::parseRun(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run a PipeScope scenario with real processes and pipes."));
    const QCommandLineOption setOption(
        QStringLiteral("set"), QStringLiteral("Scenario parameter."), QStringLiteral("key=value"));
    const QCommandLineOption formatOption(QStringLiteral("format"), QStringLiteral("text, jsonl or chrome."),
        QStringLiteral("format"), QStringLiteral("text"));
    const QCommandLineOption paceOption(
        QStringLiteral("pace"), QStringLiteral("Milliseconds between steps."), QStringLiteral("ms"));
    const QCommandLineOption stepOption(QStringLiteral("step"), QStringLiteral("Wait for Enter before each step."));
    const QCommandLineOption watchdogOption(QStringLiteral("watchdog"),
        QStringLiteral("Kill the run after this long with no progress."), QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption timeLimitOption(QStringLiteral("time-limit"),
        QStringLiteral("Kill the run after this much wall time, whatever it does."), QStringLiteral("ms"));
    const QCommandLineOption recordOption(QStringLiteral("record"),
        QStringLiteral("Also save the run for pipescope --replay (docs/recording-format.md)."), QStringLiteral("file"));
    parser.addOptions({setOption, formatOption, paceOption, stepOption, watchdogOption, timeLimitOption, recordOption});
    parser.addPositionalArgument(QStringLiteral("run"), QStringLiteral("the command"));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("the scenario"));
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2) {
        *error = positional.size() < 2 ? QStringLiteral("run needs a scenario name (see 'pipescope-cli list')")
                                       : QStringLiteral("unexpected argument '%1'").arg(positional.at(2));
        return std::nullopt;
    }
    RunArguments out;
    const QString formatName = parser.value(formatOption);
    const auto format = EventPrinter::parseFormat(formatName.toStdString());
    if (!format) {
        *error = QStringLiteral("unknown format '%1' (text, jsonl or chrome)").arg(formatName);
        return std::nullopt;
    }
    out.format = *format;

    RunRequest &request = out.request;
    request.scenario = positional.at(1).toStdString();
    for (const QString &assignment : parser.values(setOption)) {
        bool ok = false;
        request.assignments.push_back(ParamValues::splitAssignment(assignment.toStdString(), &ok));
        if (!ok) {
            *error = QStringLiteral("--set wants key=value, got '%1'").arg(assignment);
            return std::nullopt;
        }
    }
    bool ok = true;
    if (parser.isSet(paceOption)) {
        request.paceMs = parser.value(paceOption).toInt(&ok);
        if (!ok || request.paceMs < 0 || request.paceMs > 60000) {
            *error = QStringLiteral("--pace: '%1' is not a number of milliseconds (0 .. 60000)")
                         .arg(parser.value(paceOption));
            return std::nullopt;
        }
        request.mode = RunMode::Paced;
    }
    request.watchdogMs = parser.value(watchdogOption).toInt(&ok);
    if (!ok || request.watchdogMs < 0) {
        *error = QStringLiteral("--watchdog: '%1' is not a number of milliseconds").arg(parser.value(watchdogOption));
        return std::nullopt;
    }
    if (parser.isSet(timeLimitOption)) {
        request.timeLimitMs = parser.value(timeLimitOption).toInt(&ok);
        if (!ok || request.timeLimitMs < 1 || request.timeLimitMs > kMaxTimeLimitMs) {
            *error = QStringLiteral("--time-limit: '%1' is not a number of milliseconds (1 .. %2)")
                         .arg(parser.value(timeLimitOption))
                         .arg(kMaxTimeLimitMs);
            return std::nullopt;
        }
    }
    out.record = parser.value(recordOption);
    if (parser.isSet(recordOption) && out.record.isEmpty()) {
        *error = QStringLiteral("--record needs a file name");
        return std::nullopt;
    }
    out.stepping = parser.isSet(stepOption);
    if (out.stepping)
        request.mode = RunMode::Step;
    return out;
}

int CliCommand::run(const QStringList &arguments)
{
    QString refusal;
    const auto parsed = parseRun(arguments, &refusal);
    if (!parsed) {
        error(refusal);
        return 2;
    }
    const RunRequest &request = parsed->request;
    const EventPrinter::Format format = parsed->format;
    const bool stepping = parsed->stepping;
    const QString scenarioName = QString::fromStdString(request.scenario);

    // The recording is opened first, so that a file that cannot be written stops nothing that ran.
    RecordingWriter recording;
    std::string problem;
    const bool recorded = !parsed->record.isEmpty();
    if (recorded) {
        const ResolvedScenario resolved = ScenarioCatalog::resolve(request.scenario, request.assignments);
        if (!resolved.ok()) {
            error(QString::fromStdString(resolved.error));
            return 2;
        }
        if (!recording.open(parsed->record.toStdString(),
                RecordingHeader::forScenario(request.scenario, request.assignments), &problem)) {
            error(QString::fromStdString(problem));
            return 2;
        }
    }
    auto session = RunSession::start(request, &problem);
    if (!session) {
        error(QString::fromStdString(problem));
        if (recorded) {
            recording.close(&problem);
            std::remove(parsed->record.toLocal8Bit().constData());
        }
        return 2;
    }
    if (format == EventPrinter::Format::Text) {
        // The lesson first, in one line: what this run is about to show.
        const Scenario *scenario = ScenarioCatalog::find(request.scenario);
        print(m_out, "# " + request.scenario + ": " + std::string(scenario->description()) + "\n");
    }

    EventPrinter printer(m_out, format);
    if (recorded)
        printer.setRecording(&recording);
    std::vector<Event> batch;
    std::string execFailure;
    int mainStatus = 0;
    g_cancel.store(false);
    bool cancelSent = false;
    while (session->waitForEvents(&batch, 100) || !batch.empty()) {
        for (const Event &e : batch) {
            printer.print(e);
            if (e.kind == EventKind::RunFinished)
                mainStatus = static_cast<int>(e.result);
            if (e.kind == EventKind::ExecFailed)
                execFailure = "cannot run '" + std::string(e.textView()) + "': " + std::strerror(e.err) + " ("
                    + EventFormat::errnoName(e.err) + ")";
            if (stepping && e.kind == EventKind::GateWait) {
                std::fflush(m_out);
                print(m_err,
                    QStringLiteral("-- step: %1 %2; press Enter --\n")
                        .arg(e.pid)
                        .arg(QString::fromStdString(EventFormat::call(e))));
                char line[256];
                if (std::fgets(line, sizeof line, m_in))
                    session->step();
                else
                    session->setFree(); // no more input: finish at full speed
            }
        }
        // After a batch that opened, closed or inherited fds, the recording keeps every live table /proc gives.
        const bool fdsChanged = std::any_of(batch.begin(), batch.end(), [](const Event &e) {
            return e.kind == EventKind::PipeCreated || e.kind == EventKind::Fork || e.kind == EventKind::Exec
                || e.kind == EventKind::Dup2 || e.kind == EventKind::Close;
        });
        batch.clear();
        // At full speed most calls are counted, not sent: the recording samples the counters.
        if (recorded)
            recording.addSample(CounterSample::fromShared(session->shared(), monotonicNs()), printer.state().startNs());
        if (recorded && fdsChanged && !printer.state().finished())
            recording.addFdSnapshot(FdSnapshot::read(printer.state(), monotonicNs()), printer.state().startNs());
        std::fflush(m_out);
        if (g_cancel.load() && !cancelSent) {
            session->cancel();
            cancelSent = true;
        }
    }
    printer.state().applyCounters(session->shared());
    printer.finish();
    if (recorded) {
        recording.addSample(
            CounterSample::fromShared(session->shared(), monotonicNs()), printer.state().startNs(), true);
        if (!recording.close(&problem)) {
            error(QString::fromStdString(problem));
            return 2;
        }
    }

    switch (session->outcome()) {
    case OutcomeOk: return 0;
    case OutcomeFailed:
        error(execFailure.empty()
                ? QStringLiteral("scenario '%1' failed: its main process ended with %2 (see the notes above)")
                      .arg(scenarioName, QString::fromStdString(EventFormat::waitStatus(mainStatus)))
                : QString::fromStdString(execFailure));
        return 1;
    case OutcomeWatchdog: error(QStringLiteral("the watchdog stopped a hung run; nothing is left running")); return 3;
    case OutcomeTimeLimit:
        error(QStringLiteral("stopped: time limit of %1 ms reached; every process was killed and reaped")
                  .arg(request.timeLimitMs));
        return 4;
    default: error(QStringLiteral("run cancelled; every process was killed and reaped")); return 3;
    }
}

} // namespace pipescope
