#include "core/trace/taskprobe.h"

#include "core/run/procprobe.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pipescope
{

std::pair<pid_t, pid_t> TaskProbe::ids(pid_t tid)
{
    std::FILE *f = std::fopen(("/proc/" + std::to_string(tid) + "/status").c_str(), "re");
    if (!f)
        return {0, 0};
    pid_t tgid = 0;
    pid_t parent = 0;
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "Tgid:", 5) == 0)
            tgid = static_cast<pid_t>(std::atoi(line + 5));
        else if (std::strncmp(line, "PPid:", 5) == 0)
            parent = static_cast<pid_t>(std::atoi(line + 5));
    }
    std::fclose(f);
    return {tgid, parent};
}

std::optional<Event> TaskProbe::blocked(pid_t tid, pid_t tgid, const TracedCall &call)
{
    const auto probe = ProcProbe::probe(tid);
    if (!probe || !probe->sleeping() || probe->describe().empty())
        return std::nullopt;
    Event e;
    e.kind = EventKind::Blocked;
    e.pid = tgid;
    e.fd = call.fd;
    e.inode = call.target.inode;
    e.requested = probe->syscall;
    e.result = -1;
    e.setText(probe->describe() + " [" + probe->wchan + "]");
    return e;
}

} // namespace pipescope
