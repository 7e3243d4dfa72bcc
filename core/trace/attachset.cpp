#include "core/trace/attachset.h"

#include "core/watch/holderscan.h"
#include "core/watch/procreader.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

namespace pipescope
{

namespace
{

/// Adds p's descendants to out, parents first.
void addTree(pid_t p, std::vector<pid_t> &out, std::set<pid_t> &seen, const std::function<bool(pid_t)> &skip)
{
    const auto s = ProcReader::stat(p);
    if (!s || skip(p) || !seen.insert(p).second)
        return;
    out.push_back(p);
    for (const pid_t child : ProcReader::children(p, s->threads))
        addTree(child, out, seen, skip);
}

} // namespace

std::vector<pid_t> AttachSet::find(pid_t pid, bool followPipes, const std::function<bool(pid_t)> &skip)
{
    std::vector<pid_t> out;
    std::set<pid_t> seen;
    addTree(pid, out, seen, skip);
    if (!followPipes)
        return out;
    // A pipe that PipeScope or one of its parents holds too (a terminal job's
    // or a test runner's pipe, inherited by everything started there) joins the
    // target with its surroundings, not with its pipeline: it is not followed.
    std::set<std::uint64_t> ours;
    for (pid_t p = getpid(); p > 1;) {
        for (const FdLink &link : ProcReader::fds(p))
            ours.insert(link.pipeInode);
        const auto s = ProcReader::stat(p);
        p = s && s->ppid != p ? s->ppid : 0;
    }
    HolderScan scan;
    for (std::size_t scanned = 0; scanned < out.size();) {
        std::set<std::uint64_t> wanted;
        for (; scanned < out.size(); ++scanned) {
            for (const FdLink &link : ProcReader::fds(out[scanned]))
                if (link.pipeInode && !ours.count(link.pipeInode))
                    wanted.insert(link.pipeInode);
        }
        if (wanted.empty())
            break;
        // No growth through a process group inside the scan (group -1): the
        // loop here goes on through the holders' pipes, PipeScope's own left out.
        const auto holders = scan.find(wanted, -1, [&](pid_t p) { return seen.count(p) || skip(p); });
        for (const pid_t holder : holders)
            addTree(holder, out, seen, skip);
    }
    return out;
}

std::vector<pid_t> AttachSet::threads(pid_t pid)
{
    std::vector<pid_t> out;
    DIR *dir = opendir(("/proc/" + std::to_string(pid) + "/task").c_str());
    if (!dir)
        return out;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] != '.')
            out.push_back(static_cast<pid_t>(std::atoi(entry->d_name)));
    }
    closedir(dir);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace pipescope
