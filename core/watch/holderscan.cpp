#include "core/watch/holderscan.h"

#include "core/watch/procreader.h"

#include <algorithm>

namespace pipescope
{

std::vector<pid_t> HolderScan::find(std::set<std::uint64_t> wanted, pid_t group, const std::function<bool(pid_t)> &skip)
{
    const bool verify = m_scans++ % static_cast<std::uint64_t>(m_verifyEvery) == 0;
    std::vector<pid_t> pids = ProcReader::allPids();
    std::sort(pids.begin(), pids.end());
    // Forget processes that have gone.
    std::erase_if(m_others, [&](const auto &kv) { return !std::binary_search(pids.begin(), pids.end(), kv.first); });
    std::vector<Other *> holders;
    for (const pid_t pid : pids) {
        if (skip(pid))
            continue;
        Other &o = m_others.try_emplace(pid, Other {ProcHandle(pid, false), -1, {}}).first->second;
        o.inodes.clear();
        for (const FdLink &link : o.handle.fds(verify))
            if (link.pipeInode)
                o.inodes.push_back(link.pipeInode);
        if (o.inodes.empty())
            continue;
        if (o.pgrp < 0 || verify) {
            const auto s = ProcReader::stat(pid);
            o.pgrp = s ? s->pgrp : 0;
        }
        holders.push_back(&o);
    }
    // Grow the set in memory: a holder in the group brings its other pipes.
    std::vector<pid_t> found;
    for (bool grew = true; grew;) {
        grew = false;
        for (auto it = holders.begin(); it != holders.end();) {
            const Other &o = **it;
            if (std::none_of(o.inodes.begin(), o.inodes.end(), [&](std::uint64_t i) { return wanted.count(i); })) {
                ++it;
                continue;
            }
            found.push_back(o.handle.pid());
            if (o.pgrp == group) {
                wanted.insert(o.inodes.begin(), o.inodes.end());
                grew = true;
            }
            it = holders.erase(it);
        }
    }
    return found;
}

} // namespace pipescope
