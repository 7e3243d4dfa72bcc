#pragma once

#include "core/watch/prochandle.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <vector>

namespace pipescope
{

/// Finds the processes that hold an end of a watched pipeline's pipes from
/// outside its tree (how `--pid` of one stage finds the others) by reading
/// every process's fd table. What it learns of each process is kept between
/// scans: a scan lists each fd table (one directory read) and reads links
/// only for fd numbers it has not seen, every link again every
/// `verifyEvery` scans; a process's group only when it holds a pipe.
class HolderScan
{
public:
    explicit HolderScan(int verifyEvery = 10) : m_verifyEvery(verifyEvery > 0 ? verifyEvery : 1) { }

    /// The processes, other than those `skip` names, that hold a pipe of
    /// `wanted`; the search goes on through a holder's other pipes when it is
    /// in process group `group`, as the stages of one shell pipeline are.
    std::vector<pid_t> find(std::set<std::uint64_t> wanted, pid_t group, const std::function<bool(pid_t)> &skip);

private:
    struct Other {
        ProcHandle handle;
        pid_t pgrp = -1; ///< -1 until it is needed
        std::vector<std::uint64_t> inodes;
    };

    int m_verifyEvery;
    std::uint64_t m_scans = 0;
    std::map<pid_t, Other> m_others;
};

} // namespace pipescope
