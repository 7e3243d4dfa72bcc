#include "app/pipescope-cli/watchcommand.h"

#include "app/pipescope-cli/errorline.h"
#include "core/watch/bottleneckfinder.h"
#include "core/watch/commandlauncher.h"
#include "core/watch/exitaccounting.h"
#include "core/watch/pipelinewatcher.h"
#include "core/watch/watchjson.h"
#include "core/watch/watchtext.h"

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

namespace
{

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

enum class Output { Live, TextBlocks, Jsonl };

// Draws samples in place on a terminal, as blocks of text, or as JSON lines.
class Display
{
public:
    Display(FILE *out, Output output, std::int64_t startNs) : m_out(out), m_output(output), m_startNs(startNs) { }

    void show(const WatchSample &s, const std::optional<Bottleneck> &b)
    {
        if (m_output == Output::Jsonl) {
            write(WatchJson::sample(s, m_startNs, b) + "\n");
            return;
        }
        const std::vector<std::string> lines = WatchText::lines(s, b);
        std::string text;
        if (m_output == Output::Live) {
            // Back to the top of the last drawing, then redraw line by line.
            if (m_drawn > 0)
                text += "\x1b[" + std::to_string(m_drawn) + "A";
            for (const std::string &line : lines)
                text += "\x1b[2K" + line + "\n";
            // Lines left over from a longer drawing are cleared, and the cursor comes back up.
            for (int i = static_cast<int>(lines.size()); i < m_drawn; ++i)
                text += "\x1b[2K\n";
            if (m_drawn > static_cast<int>(lines.size()))
                text += "\x1b[" + std::to_string(m_drawn - static_cast<int>(lines.size())) + "A";
            m_drawn = static_cast<int>(lines.size());
        } else {
            char head[64];
            std::snprintf(head, sizeof head, "--- %.2f s\n", static_cast<double>(s.timeNs - m_startNs) / 1e9);
            text += head;
            for (const std::string &line : lines)
                text += line + "\n";
        }
        write(text);
    }

    void summary(const PipelineWatcher &watcher, const std::optional<Bottleneck> &b, int commandStatus,
        const std::string &note, bool recordsLost)
    {
        const double seconds = static_cast<double>(nowNs() - m_startNs) / 1e9;
        std::vector<WatchedPipe> pipes = watcher.everyPipe();
        // What watching cost: our own CPU time, not the command's (ours alone, RUSAGE_SELF).
        rusage self {};
        getrusage(RUSAGE_SELF, &self);
        const double cpu = static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec)
            + static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
        if (m_output == Output::Jsonl) {
            write(
                WatchJson::summary(watcher.everyProcess(), pipes, b, seconds, commandStatus, cpu, recordsLost) + "\n");
            return;
        }
        char line[128];
        std::snprintf(line, sizeof line, "watcher: %.2f s of CPU in %.2f s (%.1f%% of one core)\n", cpu, seconds,
            seconds > 0 ? 100 * cpu / seconds : 0.0);
        write(WatchText::summary(watcher.everyProcess(), pipes, b, seconds, commandStatus) + line + note);
    }

private:
    void write(const std::string &text)
    {
        std::fwrite(text.data(), 1, text.size(), m_out);
        std::fflush(m_out);
    }

    FILE *m_out;
    Output m_output;
    std::int64_t m_startNs;
    int m_drawn = 0;
};

} // namespace

const char *WatchCommand::usage()
{
    return "       pipescope-cli watch [--interval MS] [--format text|jsonl] -- COMMAND [ARGS...]\n"
           "       pipescope-cli watch [--interval MS] [--format text|jsonl] --pid PID\n";
}

void WatchCommand::error(const std::string &text)
{
    const std::string line = cliErrorLine(text);
    std::fwrite(line.data(), 1, line.size(), m_err);
    std::fflush(m_err);
}

std::optional<WatchCommand::Arguments> WatchCommand::parse(const QStringList &arguments, std::string *error)
{
    Arguments out;
    for (qsizetype i = 2; i < arguments.size(); ++i) {
        const QString arg = arguments.at(i);
        const auto value = [&](const char *name) -> std::optional<QString> {
            const QString option = QLatin1String(name);
            if (arg.startsWith(option + QLatin1Char('=')))
                return arg.mid(option.size() + 1);
            if (arg != option)
                return std::nullopt;
            if (i + 1 >= arguments.size())
                return QString();
            return arguments.at(++i);
        };
        if (arg == QLatin1String("--")) {
            for (++i; i < arguments.size(); ++i)
                out.command.push_back(arguments.at(i).toStdString());
        } else if (const auto v = value("--interval")) {
            bool ok = false;
            out.intervalMs = v->toInt(&ok);
            if (!ok || out.intervalMs < 10 || out.intervalMs > 60000) {
                *error = "--interval: '" + v->toStdString() + "' is not a number of milliseconds (10 .. 60000)";
                return std::nullopt;
            }
        } else if (const auto v = value("--format")) {
            out.format = v->toStdString();
            if (*out.format != "text" && *out.format != "jsonl") {
                *error = "unknown format '" + *out.format + "' (text or jsonl)";
                return std::nullopt;
            }
        } else if (const auto v = value("--pid")) {
            bool ok = false;
            out.pid = static_cast<pid_t>(v->toInt(&ok));
            if (!ok || out.pid <= 0) {
                *error = "--pid: '" + v->toStdString() + "' is not a process id";
                return std::nullopt;
            }
        } else if (arg.startsWith(QLatin1String("--"))) {
            *error = "unknown option '" + arg.toStdString() + "'";
            return std::nullopt;
        } else {
            for (; i < arguments.size(); ++i)
                out.command.push_back(arguments.at(i).toStdString());
        }
    }
    if (out.pid > 0 && !out.command.empty()) {
        *error = "watch takes either --pid PID or a command, not both";
        return std::nullopt;
    }
    if (out.pid <= 0 && out.command.empty()) {
        *error = "watch needs a command (watch -- COMMAND [ARGS...]) or --pid PID";
        return std::nullopt;
    }
    return out;
}

int WatchCommand::exec(const QStringList &arguments)
{
    std::string refusal;
    auto parsed = parse(arguments, &refusal);
    if (!parsed) {
        error(refusal);
        return 2;
    }
    const std::optional<std::string> format = parsed->format;
    pid_t pid = parsed->pid;
    const std::vector<std::string> command = parsed->command;
    const int intervalMs = parsed->intervalMs;
    if (pid > 0) {
        if (const auto why = PipelineWatcher::refusal(pid)) {
            error(*why);
            return 2;
        }
    }
    const bool terminal = isatty(fileno(m_out));
    const Output output = format == std::string("jsonl") || (!format && !terminal) ? Output::Jsonl
        : terminal                                                                 ? Output::Live
                                                                                   : Output::TextBlocks;

    // Exit accounting first, so that not one exit of the tree is missed.
    ExitAccounting accounting;
    std::string accountingProblem;
    accounting.open(&accountingProblem);

    CommandLauncher launcher;
    if (!command.empty()) {
        std::string problem;
        if (!launcher.start(command, &problem)) {
            error(problem);
            return 1;
        }
        pid = launcher.pid();
    }
    WatchOptions options;
    options.root = pid;
    options.followPipeHolders = command.empty();
    options.includeOwnChildren = !command.empty();
    options.ignored.insert(launcher.guardianPid()); // ours, but not a stage
    PipelineWatcher watcher(options);
    BottleneckFinder recent(25);
    BottleneckFinder whole(1'000'000); // the whole watch, for the summary
    const std::int64_t start = nowNs();
    Display display(m_out, output, start);

    const auto collect = [&]() {
        for (const ExitRecord &r : accounting.drain())
            watcher.setFinalCounts(r.pid, r.rchar, r.wchar, r.exitStatus, ExitRecord::kSlack);
        for (const auto &[child, status] : launcher.reapExited())
            watcher.setExitStatus(child, status);
    };
    bool cancelled = false;
    for (;;) {
        const std::int64_t sampleStart = nowNs();
        // Reap after the sample: a zombie's /proc still shows its final counts.
        WatchSample s = watcher.sample();
        collect();
        recent.add(s);
        whole.add(s);
        display.show(s, recent.find());
        const bool done = command.empty() ? !watcher.anyAlive() : launcher.commandReaped() && !launcher.anyChildLeft();
        if (done)
            break;
        if (m_cancel.load()) {
            cancelled = true;
            break;
        }
        // Never sample more than half the time: a large tree takes the kernel a while to describe.
        const std::int64_t wait = std::max<std::int64_t>(intervalMs * 1'000'000LL, 2 * s.costNs);
        for (;;) {
            const std::int64_t left = sampleStart + wait - nowNs();
            if (left <= 0 || m_cancel.load())
                break;
            pollfd fds[1] = {{launcher.pidfd(), POLLIN, 0}};
            const bool watchExit = launcher.pidfd() >= 0 && !launcher.commandReaped();
            const int n = poll(fds, watchExit ? 1 : 0, static_cast<int>((left + 999'999) / 1'000'000));
            if (n > 0) {
                collect(); // the command exited: reap it now, sample once more at once
                break;
            }
        }
    }
    if (cancelled && !command.empty()) {
        for (const auto &[child, status] : launcher.killAndReapAll())
            watcher.setExitStatus(child, status);
    }
    // One last look: every exit is known by now, with its final counts where the kernel gave them.
    collect();
    const WatchSample last = watcher.sample();
    whole.add(last);
    const std::string note
        = WatchText::accountingNote(accounting.isOpen(), accountingProblem, accounting.recordsLost());
    const int status = command.empty() ? -1 : launcher.commandStatus();
    display.summary(watcher, whole.find(), status, note, accounting.recordsLost());
    if (command.empty())
        return 0;
    if (cancelled) {
        error("watch cancelled; the command's whole tree was killed and reaped");
        return 3;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

} // namespace pipescope
