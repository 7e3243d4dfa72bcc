#include "core/trace/attacher.h"

#include "core/trace/attachcheck.h"
#include "core/trace/attachreport.h"
#include "core/trace/attachset.h"
#include "core/trace/seccompfilter.h"
#include "core/trace/taskprobe.h"
#include "core/trace/taskseizer.h"

#include <algorithm>
#include <set>

namespace pipescope
{

namespace
{

std::string programName(pid_t pid)
{
    const std::string command = AttachReport::commandLine(pid);
    const std::string first = command.empty() ? std::to_string(pid) : command.substr(0, command.find(' '));
    const auto slash = first.rfind('/');
    return slash == std::string::npos ? first : first.substr(slash + 1);
}

bool take(pid_t pid, long ptraceOptions, std::vector<Attacher::Taken> *taken, int *err)
{
    std::vector<pid_t> tids = TaskSeizer::seize(pid, ptraceOptions, err);
    if (tids.empty())
        return false;
    taken->push_back({pid, TaskProbe::ids(pid).second, programName(pid), std::move(tids)});
    return true;
}

} // namespace

std::vector<bool> Attacher::tracedCalls()
{
    std::vector<bool> traced(1024, false);
    for (const int nr : SeccompFilter::tracedSyscalls())
        if (nr >= 0 && static_cast<std::size_t>(nr) < traced.size())
            traced[static_cast<std::size_t>(nr)] = true;
    return traced;
}

bool Attacher::attach(const TraceOptions &options, long ptraceOptions, std::vector<Taken> *taken,
    std::vector<Event> *notes, std::string *problem)
{
    const pid_t root = options.attachPid;
    if (const auto refusal = AttachCheck::refusal(root)) {
        *problem = *refusal;
        return false;
    }
    // The target itself first: when it cannot be taken nothing has been done to anything.
    int err = 0;
    if (!take(root, ptraceOptions, taken, &err)) {
        *problem = AttachCheck::seizeProblem(root, err);
        return false;
    }
    const auto skip = [](pid_t p) { return p == 1 || AttachCheck::isSelfOrAncestor(p); };
    std::set<pid_t> seen {root};
    for (bool grew = true; grew;) {
        grew = false;
        for (const pid_t pid : AttachSet::find(root, options.followPipes, skip)) {
            if (!seen.insert(pid).second)
                continue;
            if (take(pid, ptraceOptions, taken, &err)) {
                grew = true;
                continue;
            }
            Event note;
            note.kind = EventKind::Note;
            note.pid = pid;
            note.setText("not attached: " + AttachCheck::seizeProblem(pid, err));
            notes->push_back(note);
        }
    }
    return true;
}

} // namespace pipescope
