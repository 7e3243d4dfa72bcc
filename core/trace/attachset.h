#pragma once

#include <sys/types.h>

#include <functional>
#include <vector>

namespace pipescope
{

/// Which running processes an attach takes (pipescope-cli trace --attach PID
/// [--follow-pipes]), read from /proc.
class AttachSet
{
public:
    /// pid and its descendants; with followPipes also every process that
    /// holds an end of one of their pipes (the other stages of a shell
    /// pipeline) and its descendants, again until nothing new comes. Never a
    /// process `skip` names. pid first, parents before their children.
    static std::vector<pid_t> find(pid_t pid, bool followPipes, const std::function<bool(pid_t)> &skip);
    /// The thread ids of pid (/proc/PID/task).
    static std::vector<pid_t> threads(pid_t pid);
};

} // namespace pipescope
