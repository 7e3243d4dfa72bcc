#include "core/record/fdsnapshot.h"

#include "core/export/jsonwriter.h"
#include "core/model/runstate.h"

namespace pipescope
{

namespace
{

bool sameEntry(const FdEntry &a, const FdEntry &b)
{
    return a.fd == b.fd && a.target == b.target && a.pipeInode == b.pipeInode && a.socketInode == b.socketInode
        && a.readEnd == b.readEnd && a.writeEnd == b.writeEnd && a.nonBlocking == b.nonBlocking
        && a.closeOnExec == b.closeOnExec;
}

} // namespace

FdSnapshot FdSnapshot::read(const RunState &state, std::int64_t timeNs)
{
    FdSnapshot s;
    s.timeNs = timeNs;
    for (const ProcessInfo &p : state.processes()) {
        // An exited process's fds were closed by the kernel, and a reaped pid may already be someone else's.
        if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped || !ProcProbe::probe(p.pid))
            continue;
        s.tables.push_back({p.pid, ProcProbe::fdTable(p.pid)});
    }
    return s;
}

bool FdSnapshot::sameTables(const FdSnapshot &other) const
{
    if (tables.size() != other.tables.size())
        return false;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const Table &a = tables[i];
        const Table &b = other.tables[i];
        if (a.pid != b.pid || a.fds.size() != b.fds.size())
            return false;
        for (std::size_t j = 0; j < a.fds.size(); ++j) {
            if (!sameEntry(a.fds[j], b.fds[j]))
                return false;
        }
    }
    return true;
}

std::string FdSnapshot::toJson(std::int64_t startNs) const
{
    std::string list = "[";
    for (const Table &t : tables) {
        std::string fds = "[";
        for (const FdEntry &e : t.fds) {
            JsonWriter o;
            o.add("fd", e.fd).add("target", e.target);
            o.add("pipe_inode", static_cast<std::int64_t>(e.pipeInode));
            o.add("socket_inode", static_cast<std::int64_t>(e.socketInode));
            o.add("read", e.readEnd).add("write", e.writeEnd).add("nonblock", e.nonBlocking);
            o.add("cloexec", e.closeOnExec);
            fds += (fds.size() > 1 ? "," : "") + o.str();
        }
        JsonWriter o;
        o.add("pid", static_cast<std::int64_t>(t.pid)).addRaw("fds", fds + "]");
        list += (list.size() > 1 ? "," : "") + o.str();
    }
    JsonWriter o;
    o.add("fds_t_ns", startNs > 0 ? timeNs - startNs : timeNs).addRaw("tables", list + "]");
    return o.str();
}

} // namespace pipescope
