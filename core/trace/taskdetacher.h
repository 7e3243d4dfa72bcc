#pragma once

#include <sys/types.h>

#include <map>
#include <set>

namespace pipescope
{

/// Lets go of every task an attach took, so that each goes on exactly as
/// before: each running tracee is interrupted and detached at the stop it
/// reports. A task in a syscall-entry stop goes on into its call, one in a
/// signal-delivery stop gets its signal, one in a group-stop stays stopped;
/// a task born meanwhile (a fork during the detach) is detached too.
class TaskDetacher
{
public:
    /// running: tracees resumed by this thread; stopped: tracees in a stop
    /// already collected by waitpid, with its status. Returns how many tasks
    /// were detached.
    static int detachAll(const std::set<pid_t> &running, const std::map<pid_t, int> &stopped);

private:
    static void detachFromStop(pid_t tid, int status);
};

} // namespace pipescope
