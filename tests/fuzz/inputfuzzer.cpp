#include "inputfuzzer.h"

#include "app/pipescope-cli/clicommand.h"
#include "app/pipescope-cli/errorline.h"
#include "app/pipescope-cli/tracecommand.h"
#include "app/pipescope-cli/watchcommand.h"
#include "core/export/eventjson.h"
#include "core/model/paramspec.h"
#include "core/model/paramvalues.h"
#include "core/model/runstate.h"
#include "core/model/sharedstate.h"
#include "core/record/recordingheader.h"
#include "core/scenarios/scenariocatalog.h"
#include "ui/source/eventjsonreader.h"
#include "ui/source/recordingreader.h"

#include <QString>
#include <QStringList>

#include <cstdio>
#include <cstdlib>
#include <set>

namespace pipescope::fuzz
{

namespace
{

QStringList toQt(const std::vector<std::string> &argv)
{
    // As CliCommand::exec(argc, argv) converts main's arguments.
    QStringList out;
    for (const std::string &a : argv)
        out << QString::fromUtf8(a.data(), static_cast<qsizetype>(a.size()));
    return out;
}

// A refusal as the CLI prints it: the line cliErrorLine makes of the message.
std::optional<std::string> refused(std::string_view where, std::string_view message)
{
    if (message.empty())
        return std::string(where) + ": refusal message is empty";
    std::string line = cliErrorLine(message);
    line = line.substr(std::string_view("pipescope-cli: error: ").size());
    line.pop_back(); // its newline
    if (const auto problem = InputFuzzer::messageProblem(line))
        return std::string(where) + ": refusal " + *problem;
    return std::nullopt;
}

// Runs CliCommand::exec(argc, argv) on a command line that it answers without
// running anything; returns the exit status and what it wrote to stderr.
std::pair<int, std::string> execCli(const std::vector<std::string> &argv)
{
    std::vector<std::string> copy = argv;
    std::vector<char *> raw;
    for (std::string &a : copy)
        raw.push_back(a.data());
    raw.push_back(nullptr);
    char *outText = nullptr, *errText = nullptr;
    std::size_t outSize = 0, errSize = 0;
    FILE *out = open_memstream(&outText, &outSize);
    FILE *err = open_memstream(&errText, &errSize);
    FILE *in = std::fopen("/dev/null", "re");
    int status = -1;
    if (out && err && in)
        status = CliCommand(out, err, in).exec(static_cast<int>(argv.size()), raw.data());
    for (FILE *f : {out, err, in}) {
        if (f)
            std::fclose(f);
    }
    std::string errors(errText ? errText : "", errSize);
    std::free(outText);
    std::free(errText);
    return {status, errors};
}

// The error line of the CLI's stderr, which may be followed by the usage.
std::optional<std::string> cliRefusal(const std::string &err)
{
    static const std::string prefix = "pipescope-cli: error: ";
    if (err.rfind(prefix, 0) != 0)
        return "refusal does not start with '" + prefix + "': " + quoteForMessage(err.substr(0, 200));
    const auto usage = err.find("\nusage: ");
    const std::string line
        = err.substr(prefix.size(), usage == std::string::npos ? std::string::npos : usage + 1 - prefix.size());
    if (line.empty() || line.back() != '\n')
        return "refusal does not end with a newline";
    return refused("cli", std::string_view(line).substr(0, line.size() - 1));
}

} // namespace

std::optional<std::string> InputFuzzer::messageProblem(std::string_view message)
{
    if (message.empty())
        return "message is empty";
    if (message.find_first_of("\n\r") != std::string_view::npos)
        return "message has more than one line: " + quoteForMessage(message.substr(0, 300));
    if (const auto bad = utf8Problem(message))
        return "message is not UTF-8: " + *bad;
    return std::nullopt;
}

std::optional<std::string> InputFuzzer::checkAssignments(std::string_view scenario, const Assignments &assignments)
{
    const ResolvedScenario r = ScenarioCatalog::resolve(scenario, assignments);
    if (!r.ok())
        return refused("resolve", r.error);
    if (!r.scenario)
        return "resolve accepted an unknown scenario " + quoteForMessage(scenario);
    std::set<std::string> keys;
    for (const auto &[key, value] : assignments) {
        if (!keys.insert(key).second)
            return "resolve accepted the parameter " + quoteForMessage(key) + " twice";
        if (r.params.text(key) != value)
            return "resolve did not keep the value given for " + quoteForMessage(key);
    }
    for (const ParamSpec &spec : r.scenario->params()) {
        if (!r.params.has(spec.name))
            return "resolve left out the parameter " + spec.name;
        const std::string value = r.params.text(spec.name);
        if (const auto problem = spec.validate(value))
            return "resolve accepted a value its spec refuses: " + *problem;
        if (spec.type == ParamType::Int || spec.type == ParamType::Size) {
            const std::int64_t v = r.params.integer(spec.name);
            if (v < spec.min || v > spec.max)
                return "resolve accepted " + spec.name + "=" + std::to_string(v) + " out of " + spec.boundsText();
        }
        if (spec.type == ParamType::Bool && !parseBool(value))
            return "resolve accepted a boolean no parser reads: " + spec.name;
        if (spec.type == ParamType::Text
            && (utf8Problem(value) || static_cast<std::int64_t>(value.size()) < spec.min
                || static_cast<std::int64_t>(value.size()) > spec.max))
            return "resolve accepted text out of bounds for " + spec.name;
    }
    if (const auto problem = r.scenario->checkCombination(r.params))
        return "resolve accepted a combination the scenario refuses: " + *problem;
    return std::nullopt;
}

std::optional<std::string> InputFuzzer::checkAssignmentText(std::string_view scenario, std::string_view text)
{
    bool ok = false;
    const auto pair = ParamValues::splitAssignment(text, &ok);
    if (!ok)
        return std::nullopt; // the CLI refuses it itself, checked in checkCommandLine
    if (pair.first.empty() || pair.first.find('=') != std::string::npos
        || pair.first.size() + 1 + pair.second.size() != text.size())
        return "splitAssignment split " + quoteForMessage(text) + " wrongly";
    return checkAssignments(scenario, {pair});
}

std::optional<std::string> InputFuzzer::checkCommandLine(const std::vector<std::string> &argv)
{
    bool allUtf8 = true;
    for (std::size_t i = 1; i < argv.size(); ++i)
        allUtf8 = allUtf8 && !utf8Problem(argv[i]);
    const std::string command = argv.size() > 1 ? argv[1] : std::string();
    const bool parsedHere = allUtf8 && (command == "run" || command == "trace" || command == "watch");
    if (!parsedHere) {
        // Answered by exec itself without running anything: bad bytes, list,
        // platform, help, an unknown or missing command.
        const auto [status, err] = execCli(argv);
        if (status == 2 && argv.size() < 2)
            return err.rfind("usage: ", 0) == 0 ? std::nullopt
                                                : std::optional<std::string>("no usage without a command");
        if (status == 2)
            return cliRefusal(err);
        if (status != 0)
            return "exec answered " + std::to_string(status) + " without running anything";
        return std::nullopt;
    }
    const QStringList arguments = toQt(argv);
    if (command == "run") {
        QString error;
        const auto parsed = CliCommand::parseRun(arguments, &error);
        if (!parsed)
            return refused("run", error.toStdString());
        const RunRequest &r = parsed->request;
        if (r.paceMs < 0 || r.paceMs > 60000 || r.watchdogMs < 0)
            return "run accepted pace " + std::to_string(r.paceMs) + ", watchdog " + std::to_string(r.watchdogMs);
        for (const auto &[key, value] : r.assignments) {
            if (key.empty())
                return "run accepted an assignment with no key";
        }
        return checkAssignments(r.scenario, r.assignments);
    }
    if (command == "trace") {
        QString error;
        const auto parsed = TraceCommand::parse(arguments, &error);
        if (!parsed)
            return refused("trace", error.toStdString());
        if (parsed->options.argv.empty() || parsed->options.paceMs < 0 || parsed->options.paceMs > 60000)
            return std::string("trace accepted no program or a pace out of range");
        return std::nullopt;
    }
    std::string error;
    const auto parsed = WatchCommand::parse(arguments, &error);
    if (!parsed)
        return refused("watch", error);
    if (parsed->intervalMs < 10 || parsed->intervalMs > 60000)
        return "watch accepted the interval " + std::to_string(parsed->intervalMs);
    if (parsed->format && *parsed->format != "text" && *parsed->format != "jsonl")
        return "watch accepted the format " + quoteForMessage(*parsed->format);
    if ((parsed->pid > 0) == !parsed->command.empty())
        return std::string("watch accepted both or neither of --pid and a command");
    return std::nullopt;
}

std::vector<std::string> InputFuzzer::seedEventJsonLines()
{
    std::vector<std::string> out;
    for (int k = 0; k < static_cast<int>(EventKind::Count_); ++k) {
        Event e {};
        e.kind = static_cast<EventKind>(k);
        e.pid = 1000 + k;
        e.otherPid = 2000 + k;
        e.fd = 3;
        e.fd2 = 4;
        e.result = 5;
        e.timeNs = 1'000'000 + k;
        e.startNs = 999'000;
        e.setText("hello");
        out.push_back(EventJson::toJson(e, 0, k % 2 ? "writer" : ""));
    }
    return out;
}

std::optional<std::string> InputFuzzer::checkEventJsonLine(std::string_view line)
{
    const EventJsonReader reader;
    QString error, role;
    const auto event = reader.read(QByteArrayView(line.data(), static_cast<qsizetype>(line.size())), &error, &role);
    if (!event) {
        if (const auto problem = messageProblem(error.toStdString()))
            return "EventJsonReader: refusal " + *problem;
        return std::nullopt;
    }
    const std::string again = EventJson::toJson(*event, 0, role.toStdString());
    QString error2, role2;
    const auto reread
        = reader.read(QByteArrayView(again.data(), static_cast<qsizetype>(again.size())), &error2, &role2);
    if (!reread)
        return "EventJsonReader accepted " + quoteForMessage(line.substr(0, 300)) + " but refuses its own rewrite "
            + quoteForMessage(again.substr(0, 300)) + ": " + error2.toStdString();
    const std::string third = EventJson::toJson(*reread, 0, role2.toStdString());
    if (third != again)
        return "EventJsonReader and EventJson disagree: " + quoteForMessage(again.substr(0, 300)) + " reads back as "
            + quoteForMessage(third.substr(0, 300));
    return std::nullopt;
}

std::string InputFuzzer::seedRecording()
{
    std::string text = RecordingHeader::forScenario("parent-child", {}).toJson() + "\n";
    for (const std::string &line : seedEventJsonLines()) // run-started first, run-finished last
        text += line + "\n";
    CounterSample sample;
    sample.timeNs = 2'000'000;
    sample.pipes.push_back({77, 65536, 10, 5, 2, 1, 10, true});
    sample.processes.push_back({1001, 5, 10});
    return text + sample.toJson(0) + "\n";
}

std::optional<std::string> InputFuzzer::checkRecording(std::string_view contents)
{
    QString error;
    const auto recording
        = RecordingReader::parse(QByteArrayView(contents.data(), static_cast<qsizetype>(contents.size())), &error);
    if (!recording) {
        if (const auto problem = messageProblem(error.toStdString()))
            return "RecordingReader: refusal " + *problem;
        if (!error.startsWith(QLatin1String("line ")))
            return "RecordingReader: refusal names no line: " + error.toStdString();
        return std::nullopt;
    }
    RunState state;
    static SharedState counters; // 40 KB: once, not on the stack of every input
    for (const Recording::Step &step : recording->steps) {
        if (step.isSample) {
            step.sample.fill(counters);
            state.applyCounters(counters);
        } else if (step.isEvent()) {
            state.apply(step.event);
        }
    }
    if (!state.finished())
        return "RecordingReader accepted a recording whose run never finishes";
    return std::nullopt;
}

std::optional<std::string> InputFuzzer::checkBytes(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return std::nullopt;
    const std::uint8_t selector = data[0];
    std::vector<std::string> parts(1);
    for (std::size_t i = 1; i < size; ++i) {
        if (data[i] == 0)
            parts.emplace_back();
        else
            parts.back() += static_cast<char>(data[i]);
    }
    if (selector % 8 == 7) // a whole recording, the NUL bytes included
        return checkRecording(std::string_view(reinterpret_cast<const char *>(data) + 1, size - 1));
    if (selector % 4 == 3) // one jsonl line, the NUL bytes included
        return checkEventJsonLine(std::string_view(reinterpret_cast<const char *>(data) + 1, size - 1));
    switch (selector % 3) {
    case 0: { // a scenario name, then "key=value" texts
        const auto &all = ScenarioCatalog::all();
        const std::string name = selector / 3 % 2 == 0 && !all.empty()
            ? std::string(all[static_cast<std::size_t>(selector / 6) % all.size()]->name())
            : parts.front();
        Assignments assignments;
        for (std::size_t i = 1; i < parts.size(); ++i) {
            bool ok = false;
            assignments.push_back(ParamValues::splitAssignment(parts[i], &ok));
        }
        if (parts.size() == 2)
            return checkAssignmentText(name, parts[1]);
        return checkAssignments(name, assignments);
    }
    default: { // a command line after "pipescope-cli"; argv holds no NUL
        std::vector<std::string> argv {"pipescope-cli"};
        static const char *const kCommands[] = {"run", "trace", "watch"};
        if (selector % 3 == 1)
            argv.emplace_back(kCommands[selector / 3 % 3]);
        argv.insert(argv.end(), parts.begin(), parts.end());
        return checkCommandLine(argv);
    }
    }
}

} // namespace pipescope::fuzz
