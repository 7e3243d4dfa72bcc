#include "core/trace/taskseizer.h"

#include "core/trace/attachset.h"

#include <sys/ptrace.h>

#include <algorithm>
#include <cerrno>

namespace pipescope
{

std::vector<pid_t> TaskSeizer::seize(pid_t pid, long options, int *err)
{
    std::vector<pid_t> out;
    if (ptrace(PTRACE_SEIZE, pid, 0, options) != 0) {
        *err = errno;
        return out;
    }
    ptrace(PTRACE_INTERRUPT, pid, 0, 0);
    out.push_back(pid);
    // A thread made before its creator was seized is not followed by
    // TRACECLONE: list again until a round finds none new.
    for (bool grew = true; grew;) {
        grew = false;
        for (const pid_t tid : AttachSet::threads(pid)) {
            if (std::find(out.begin(), out.end(), tid) != out.end())
                continue;
            if (ptrace(PTRACE_SEIZE, tid, 0, options) == 0) {
                ptrace(PTRACE_INTERRUPT, tid, 0, 0);
                out.push_back(tid);
                grew = true;
            }
        }
    }
    return out;
}

} // namespace pipescope
