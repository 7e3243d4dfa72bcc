#pragma once

#include <QStringList>

#include <sys/types.h>

#include <atomic>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

/// `pipescope-cli watch [--interval MS] [--format text|jsonl] -- COMMAND [ARGS...]`
/// and `pipescope-cli watch [--interval MS] [--format text|jsonl] --pid PID`:
/// watches a pipeline at full speed from /proc (core/watch) and prints its
/// pipes, their fill and rate, each end's state and the bottleneck.
class WatchCommand
{
public:
    /// cancel: set from a signal handler (Ctrl+C) to stop; for a command we
    /// started, its whole tree is killed and reaped, a --pid is left running.
    WatchCommand(FILE *out, FILE *err, const std::atomic<bool> &cancel) : m_out(out), m_err(err), m_cancel(cancel) { }

    /// arguments: the program name, "watch", then the options. Returns 0 when
    /// the watch ended normally (for a command: the command's own exit status,
    /// 128 + signal when killed), 1 when the command cannot be run, 2 for bad
    /// input, 3 when cancelled while watching a command we started.
    int exec(const QStringList &arguments);

    static const char *usage();

    /// What `watch`'s arguments ask for.
    struct Arguments {
        int intervalMs = 200;
        std::optional<std::string> format; ///< "text" or "jsonl"; unset: by the output
        pid_t pid = 0; ///< --pid, or 0 for a command
        std::vector<std::string> command;
    };
    /// Parses `watch`'s arguments without looking at any process. Nothing, with
    /// *error set to one line, when they are refused.
    static std::optional<Arguments> parse(const QStringList &arguments, std::string *error);

private:
    void error(const std::string &text);

    FILE *m_out;
    FILE *m_err;
    const std::atomic<bool> &m_cancel;
};

} // namespace pipescope
