#pragma once

#include "app/pipescope-cli/eventprinter.h"
#include "core/session/runsession.h"

#include <QStringList>

#include <cstdio>
#include <optional>

namespace pipescope
{

/// pipescope-cli: `list [--format text|jsonl]` and `run NAME [--set k=v]... [--format text|jsonl|chrome]
/// [--pace MS] [--step] [--watchdog MS] [--time-limit MS] [--record FILE]`. Lives in a library so tests drive it
/// directly; app/ only holds the entry point.
class CliCommand
{
public:
    CliCommand(FILE *out, FILE *err, FILE *in) : m_out(out), m_err(err), m_in(in) { }
    /// arguments include the program name; returns the exit status
    /// (0 ok, 1 the scenario failed, 2 bad input, 3 cancelled or hung, 4 stopped by --time-limit).
    int exec(const QStringList &arguments);
    /// The same from main's raw argv: arguments that are not UTF-8 are refused
    /// here, before Qt would turn their bytes into U+FFFD.
    int exec(int argc, char **argv);
    /// Set from a signal handler: cancel the run in progress.
    static void requestCancel();

    /// What `run`'s arguments ask for.
    struct RunArguments {
        RunRequest request;
        EventPrinter::Format format = EventPrinter::Format::Text;
        bool stepping = false;
        QString record; ///< --record FILE: also save the run for replay (empty: not)
    };
    /// Parses `run`'s arguments (program name, "run", ...) without running or
    /// resolving anything (the scenario's parameters are checked when it starts).
    /// Nothing, with *error set to one line, when they are refused.
    static std::optional<RunArguments> parseRun(const QStringList &arguments, QString *error);

private:
    int list(const QStringList &arguments);
    int run(const QStringList &arguments);
    void error(const QString &text);

    FILE *m_out;
    FILE *m_err;
    FILE *m_in;
};

} // namespace pipescope
