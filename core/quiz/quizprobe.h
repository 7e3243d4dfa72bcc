#pragma once

#include <sys/types.h>

#include <optional>

namespace pipescope
{

/// What /proc says about a held or released process, for the quiz.
class QuizProbe
{
public:
    /// Whether pid ignores SIGPIPE (SigIgn in /proc/PID/status); nullopt when unreadable.
    static std::optional<bool> sigpipeIgnored(pid_t pid);
    /// The syscall number pid sleeps in (state S or D, /proc/PID/syscall), or -1
    /// when it runs, is gone, or cannot be read.
    static long asleepIn(pid_t pid);
    /// Whether pid's fd is a pipe or FIFO (stat of /proc/PID/fd/FD).
    static bool isPipe(pid_t pid, int fd);
};

} // namespace pipescope
