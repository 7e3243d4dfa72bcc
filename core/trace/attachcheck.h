#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace pipescope
{

/// Why a running process must not or cannot be attached (pipescope-cli trace
/// --attach PID), each in one line, found before anything is done to it.
class AttachCheck
{
public:
    /// The refusal for pid: it does not exist, is PID 1, is PipeScope itself
    /// (this process or one of its ancestors), has exited, or is already
    /// traced (the tracer named). Nothing when it may be attached.
    static std::optional<std::string> refusal(pid_t pid);
    /// Why PTRACE_SEIZE of pid failed with err: for EPERM, another user or
    /// Yama's ptrace_scope, read from /proc.
    static std::string seizeProblem(pid_t pid, int err);
    /// pid is this process or one of its ancestors.
    static bool isSelfOrAncestor(pid_t pid);
    /// TracerPid of /proc/PID/status (0: not traced, -1: unreadable).
    static pid_t tracerOf(pid_t pid);
};

} // namespace pipescope
