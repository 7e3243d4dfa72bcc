#pragma once

#include "app/pipescope-cli/eventprinter.h"
#include "core/trace/traceoptions.h"

#include <QStringList>

#include <cstdio>
#include <optional>

namespace pipescope
{

/// `pipescope-cli trace [--format text|jsonl|chrome] [--pace MS] [--step]
/// [--output FILE] [--control-fd N] -- PROGRAM [ARGS...]`: runs PROGRAM under the tracer with
/// the terminal's stdin, stdout and stderr, and reports every pipe-related
/// event of its process tree to stderr (or FILE), then the per-pipe summary.
/// `trace --attach PID [--follow-pipes]` does the same for running processes,
/// then detaches and leaves them running.
class TraceCommand
{
public:
    TraceCommand(FILE *out, FILE *err, FILE *in) : m_out(out), m_err(err), m_in(in) { }
    /// arguments as CliCommand got them ("pipescope-cli", "trace", ...).
    /// Returns the program's exit status (128 + signal when a signal killed
    /// it), 1 when it cannot be run, 2 for bad input or a refused attach,
    /// 0 after an attach.
    int exec(const QStringList &arguments);
    /// `trace --help`: the syntax and every option, the control fd's commands too.
    static const char *usage();
    /// Async-signal-safe: stop the trace, killing the tree.
    static void requestCancel();

    /// What `trace`'s arguments ask for.
    struct Arguments {
        TraceOptions options;
        EventPrinter::Format format = EventPrinter::Format::Text;
        std::optional<QString> outputPath; ///< --output, opened only when the trace starts
        std::optional<int> controlFd; ///< --control-fd: step, pause, run, pace MS lines
        std::optional<QString> recordPath; ///< --record: the run saved for pipescope --replay
    };
    /// Parses `trace`'s arguments without opening or running anything. Nothing,
    /// with *error set to one line, when they are refused.
    static std::optional<Arguments> parse(const QStringList &arguments, QString *error);

private:
    void error(const QString &text);

    FILE *m_out; ///< the program's own stdout: never written by the report
    FILE *m_err;
    FILE *m_in;
};

} // namespace pipescope
