#include "app/pipescope-cli/tracecommand.h"

#include "app/pipescope-cli/errorline.h"
#include "app/pipescope-cli/eventprinter.h"
#include "core/model/eventformat.h"
#include "core/record/recordingheader.h"
#include "core/record/recordingwriter.h"
#include "core/trace/tracecontrol.h"
#include "core/trace/tracer.h"

#include <QCommandLineParser>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace pipescope
{

void TraceCommand::requestCancel()
{
    Tracer::requestCancel();
}

void TraceCommand::error(const QString &text)
{
    const std::string line = cliErrorLine(text.toStdString());
    std::fwrite(line.data(), 1, line.size(), m_err);
    std::fflush(m_err);
}

std::optional<TraceCommand::Arguments> TraceCommand::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    // Everything from PROGRAM on belongs to the program, options included.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption formatOption(QStringLiteral("format"), QStringLiteral("text, jsonl or chrome."),
        QStringLiteral("format"), QStringLiteral("text"));
    const QCommandLineOption paceOption(QStringLiteral("pace"),
        QStringLiteral("Hold each process this long before each pipe-related call."), QStringLiteral("ms"));
    const QCommandLineOption stepOption(
        QStringLiteral("step"), QStringLiteral("Hold each pipe-related call until Enter is pressed."));
    const QCommandLineOption outputOption(QStringLiteral("output"),
        QStringLiteral("Write the report to FILE instead of stderr."), QStringLiteral("file"));
    const QCommandLineOption controlOption(QStringLiteral("control-fd"),
        QStringLiteral("Read step, pause, run and pace MS lines from inherited fd N (--step: start paused)."),
        QStringLiteral("n"));
    const QCommandLineOption attachOption(QStringLiteral("attach"),
        QStringLiteral("Attach to running process PID and its descendants."), QStringLiteral("pid"));
    const QCommandLineOption followOption(QStringLiteral("follow-pipes"),
        QStringLiteral("With --attach: also every process holding an end of one of their pipes."));
    const QCommandLineOption recordOption(QStringLiteral("record"),
        QStringLiteral("Also save the trace for pipescope --replay (docs/recording-format.md)."),
        QStringLiteral("file"));
    const QCommandLineOption countOption(QStringLiteral("count-only"),
        QStringLiteral("No read or write stops: bytes per pipe derived from /proc/PID/io."));
    parser.addOptions({formatOption, paceOption, stepOption, outputOption, controlOption, attachOption, followOption,
        recordOption, countOption});
    // Without "trace": the parser takes everything after the first positional as positional.
    if (!parser.parse(QStringList {arguments.value(0)} + arguments.mid(2))) {
        *error = parser.errorText();
        return std::nullopt;
    }
    QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && positional.first() == QLatin1String("--"))
        positional.removeFirst();
    Arguments out;
    if (parser.isSet(attachOption)) {
        bool ok = false;
        out.options.attachPid = parser.value(attachOption).toInt(&ok);
        if (!ok || out.options.attachPid <= 0) {
            *error = QStringLiteral("--attach: '%1' is not a process id").arg(parser.value(attachOption));
            return std::nullopt;
        }
        if (!positional.isEmpty()) {
            *error
                = QStringLiteral("--attach takes a running process, not a program: drop '%1'").arg(positional.first());
            return std::nullopt;
        }
        out.options.followPipes = parser.isSet(followOption);
    } else if (parser.isSet(followOption)) {
        *error = QStringLiteral("--follow-pipes goes with --attach PID");
        return std::nullopt;
    } else if (positional.isEmpty()) {
        *error = QStringLiteral("trace needs a program: pipescope-cli trace -- PROGRAM [ARGS...]");
        return std::nullopt;
    }
    const QString formatName = parser.value(formatOption);
    const auto format = EventPrinter::parseFormat(formatName.toStdString());
    if (!format) {
        *error = QStringLiteral("unknown format '%1' (text, jsonl or chrome)").arg(formatName);
        return std::nullopt;
    }
    out.format = *format;
    TraceOptions &options = out.options;
    for (const QString &arg : positional)
        options.argv.push_back(arg.toStdString());
    if (parser.isSet(paceOption)) {
        bool ok = false;
        options.paceMs = parser.value(paceOption).toInt(&ok);
        if (!ok || options.paceMs < 0 || options.paceMs > 60000) {
            *error = QStringLiteral("--pace: '%1' is not a number of milliseconds (0 .. 60000)")
                         .arg(parser.value(paceOption));
            return std::nullopt;
        }
        options.mode = TraceOptions::Mode::Paced;
    }
    if (parser.isSet(stepOption))
        options.mode = TraceOptions::Mode::Step;
    if (parser.isSet(outputOption))
        out.outputPath = parser.value(outputOption);
    if (parser.isSet(recordOption)) {
        if (parser.value(recordOption).isEmpty()) {
            *error = QStringLiteral("--record needs a file name");
            return std::nullopt;
        }
        out.recordPath = parser.value(recordOption);
    }
    if (parser.isSet(controlOption)) {
        bool ok = false;
        const int fd = parser.value(controlOption).toInt(&ok);
        // 0, 1 and 2 are the program's: commands cannot come from there.
        if (!ok || fd < 3) {
            *error = QStringLiteral("--control-fd: '%1' is not a file descriptor number of 3 or more")
                         .arg(parser.value(controlOption));
            return std::nullopt;
        }
        out.controlFd = fd;
    }
    if (parser.isSet(countOption)) {
        // The data calls are not stopped at all: there is nothing to hold them at.
        const char *clash = out.options.attachPid > 0 ? "--attach (an attached process has no seccomp filter: every "
                                                        "call stops anyway)"
            : parser.isSet(stepOption)                ? "--step"
            : parser.isSet(paceOption)                ? "--pace"
            : out.controlFd                           ? "--control-fd"
                                                      : nullptr;
        if (clash) {
            *error = QStringLiteral("--count-only runs a program at full speed without stopping its reads and "
                                    "writes: it cannot go with %1")
                         .arg(QLatin1String(clash));
            return std::nullopt;
        }
        out.options.countOnly = true;
    }
    return out;
}

const char *TraceCommand::usage()
{
    return "usage: pipescope-cli trace [--format text|jsonl|chrome] [--pace MS] [--step] [--output FILE]\n"
           "                           [--control-fd N] [--record FILE] -- PROGRAM [ARGS...]\n"
           "       pipescope-cli trace --count-only [--format F] [--output FILE] [--record FILE] -- PROGRAM...\n"
           "       pipescope-cli trace --attach PID [--follow-pipes] [same options]\n"
           "  --format F       text (default), jsonl or chrome\n"
           "  --pace MS        hold each process MS ms (0..60000) before each pipe-related call\n"
           "  --step           hold each pipe-related call until Enter (with --control-fd: start paused)\n"
           "  --output FILE    write the report to FILE instead of stderr\n"
           "  --record FILE    also save the trace for pipescope --replay (docs/recording-format.md)\n"
           "  --control-fd N   read commands, one per line, from inherited fd N (not passed to PROGRAM):\n"
           "                   step (let the held process go), pause (hold every process at its next\n"
           "                   pipe-related call), run (full speed), pace MS (slow motion);\n"
           "                   end of file means run\n"
           "  --attach PID     trace running process PID and its descendants until Ctrl+C or until they\n"
           "                   have exited, then detach: they go on exactly as before, nothing is killed\n"
           "  --follow-pipes   with --attach: also every process holding an end of one of their pipes\n"
           "                   (the other stages of a shell pipeline)\n"
           "  --count-only     near full speed: only pipe, fork, exec, close, dup, fcntl and wait calls stop;\n"
           "                   NO read, write, select or poll event at all (a seccomp filter cannot let the\n"
           "                   first ones through and stop later). Bytes per pipe are derived from each\n"
           "                   process's /proc/PID/io (rchar, wchar) over the time it held an end at its\n"
           "                   stdin or stdout, not counted per call: the summary says so, and jsonl has one\n"
           "                   note per pipe (inode; requested = written, result = bytes, -1 when unknown).\n"
           "                   Not with --step, --pace, --control-fd or --attach\n";
}

int TraceCommand::exec(const QStringList &arguments)
{
    // --help before the program's arguments: the usage, on stdout.
    for (qsizetype i = 2;
         i < arguments.size() && arguments.at(i).startsWith(QLatin1Char('-')) && arguments.at(i) != QLatin1String("--");
         ++i) {
        if (arguments.at(i) == QLatin1String("--help") || arguments.at(i) == QLatin1String("-h")) {
            std::fputs(usage(), m_out);
            return 0;
        }
    }
    QString refusal;
    const auto parsed = parse(arguments, &refusal);
    if (!parsed) {
        error(refusal);
        return 2;
    }
    const TraceOptions &options = parsed->options;
    const EventPrinter::Format format = parsed->format;
    if (parsed->controlFd) {
        std::string problem;
        if (!TraceControl::prepare(*parsed->controlFd, &problem)) {
            error(QString::fromStdString(problem));
            return 2;
        }
    }

    FILE *report = m_err;
    std::unique_ptr<FILE, int (*)(FILE *)> file(nullptr, std::fclose);
    if (parsed->outputPath) {
        // Close-on-exec ("e"): the traced program must not inherit the report.
        file.reset(std::fopen(parsed->outputPath->toLocal8Bit().constData(), "we"));
        if (!file) {
            error(QStringLiteral("--output: cannot write '%1': %2")
                      .arg(*parsed->outputPath, QString::fromLocal8Bit(std::strerror(errno))));
            return 2;
        }
        report = file.get();
        // A reader waits at the other end of a pipe (the GUI draws each event as it comes):
        // it gets every line at once, not in 4 KiB bursts. A file stays fully buffered.
        struct stat st {
        };
        if (fstat(fileno(report), &st) == 0 && S_ISFIFO(st.st_mode))
            std::setvbuf(report, nullptr, _IOLBF, 0);
    }

    // The recording is opened before anything runs, so that a file that cannot be written stops nothing.
    RecordingWriter recording;
    if (parsed->recordPath) {
        std::vector<std::string> source = options.argv;
        if (options.attachPid > 0)
            source = {"attach", std::to_string(options.attachPid)};
        std::string problem;
        if (!recording.open(parsed->recordPath->toStdString(), RecordingHeader::forTrace(source), &problem)) {
            error(QString::fromStdString(problem));
            return 2;
        }
    }
    // Closes the recording at the end: a trace that never started leaves no file behind.
    const auto closeRecording = [&](bool keep) {
        if (!parsed->recordPath)
            return true;
        std::string problem;
        const bool written = recording.close(&problem);
        if (!keep)
            std::remove(parsed->recordPath->toLocal8Bit().constData());
        else if (!written)
            error(QString::fromStdString(problem));
        return written || !keep;
    };

    EventPrinter printer(report, format);
    if (parsed->recordPath)
        printer.setRecording(&recording);
    printer.setRoleFromProgram(true);
    printer.setExecsTraced(true);
    // Events are written as they come, so the report interleaves with the
    // program's own output in the order things happened.
    std::string joined = options.attachPid > 0 ? "attach " + std::to_string(options.attachPid) : std::string();
    for (const std::string &a : options.argv)
        joined += (joined.empty() ? "" : " ") + a;
    bool started = false;
    Tracer tracer([&](const Event &e) {
        // The first event comes once the program runs: a program that cannot
        // be run gets its one error line and no header.
        if (!started && format == EventPrinter::Format::Text) {
            const std::string header = "# trace: " + joined + "\n";
            std::fwrite(header.data(), 1, header.size(), report);
        }
        started = true;
        printer.print(e);
        if (e.kind == EventKind::GateWait)
            std::fflush(report); // the user sees what is held before being asked
    });
    // Enter comes from the terminal when there is one: stdin is the program's.
    std::unique_ptr<FILE, int (*)(FILE *)> tty(std::fopen("/dev/tty", "re"), std::fclose);
    FILE *keys = tty ? tty.get() : m_in;
    tracer.setGate([&](const Event &e) {
        const std::string prompt = "-- step: " + std::to_string(e.pid) + " about to " + eventKindName(e.pending)
            + (e.fd >= 0 ? "(" + std::to_string(e.fd) + ")" : std::string()) + "; press Enter --\n";
        std::fwrite(prompt.data(), 1, prompt.size(), m_err);
        std::fflush(m_err);
        char line[256];
        return std::fgets(line, sizeof line, keys) != nullptr; // no more input: finish at full speed
    });
    std::optional<TraceControl> control;
    if (parsed->controlFd) {
        control.emplace(*parsed->controlFd, tracer, [this](const std::string &text) {
            const std::string line = "pipescope-cli: warning: " + text + "\n";
            std::fwrite(line.data(), 1, line.size(), m_err);
            std::fflush(m_err);
        });
        control->attach();
    }
    std::string problem;
    if (options.attachPid > 0) {
        // A refusal leaves the target as it was: one line, exit 2.
        if (!tracer.attach(options, &problem)) {
            error(QString::fromStdString(problem));
            closeRecording(false);
            return 2;
        }
        tracer.run();
        printer.finish();
        return closeRecording(true) ? 0 : 1;
    }
    if (!tracer.start(options, &problem)) {
        error(QString::fromStdString(problem));
        closeRecording(false);
        return 1;
    }
    const int status = tracer.run();
    if (options.countOnly)
        printer.setDerivedBytes(tracer.derivedBytes());
    printer.finish();
    if (!closeRecording(true))
        return 1;
    if (tracer.cancelled())
        error(QStringLiteral("trace cancelled; every process of the tree was killed and reaped"));
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

} // namespace pipescope
