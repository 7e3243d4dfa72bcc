#include "app/pipescope-cli/derivedsummary.h"

#include "core/model/eventformat.h"

#include <cstdio>

namespace pipescope
{

namespace
{

std::string shares(const std::map<pid_t, std::uint64_t> &who, const std::function<std::string(pid_t)> &name)
{
    std::string out;
    for (const auto &[pid, n] : who)
        out += (out.empty() ? "" : ", ") + name(pid) + " (" + std::to_string(pid) + ") " + std::to_string(n);
    return out.empty() ? std::string("nobody") : out;
}

} // namespace

std::string DerivedSummary::text(
    const DerivedBytes &bytes, const RunState &state, const std::function<std::string(pid_t)> &name)
{
    std::string out = "pipes (count-only: no read or write was stopped; bytes derived from /proc/PID/io):\n";
    char row[256];
    std::snprintf(row, sizeof row, "  %-14s %12s %12s %12s  %s\n", "pipe", "bytes", "written", "read", "basis");
    out += row;
    const auto number = [](bool known, std::uint64_t n) { return known ? std::to_string(n) : std::string("?"); };
    // A FIFO opened by its name is the same kind of kernel pipe, named as the run names it.
    const auto label = [&](std::uint64_t inode) {
        const PipeInfo *p = state.pipe(inode);
        return std::string(p && p->kind == ChannelKind::Fifo ? "fifo" : "pipe");
    };
    for (const PipeBytes &p : bytes.pipes) {
        std::snprintf(row, sizeof row, "  %s:[%-7llu] %12s %12s %12s  %s\n", label(p.inode).c_str(),
            static_cast<unsigned long long>(p.inode), number(p.known(), p.bytes()).c_str(),
            number(p.writtenKnown, p.written).c_str(), number(p.readKnown, p.read).c_str(), p.basis().c_str());
        out += row;
    }
    for (const PipeBytes &p : bytes.pipes) {
        if (!p.writers.empty() || !p.readers.empty())
            out += "  " + label(p.inode) + ":[" + std::to_string(p.inode) + "] written by " + shares(p.writers, name)
                + "; read by " + shares(p.readers, name) + "\n";
    }
    out += "processes (rchar and wchar from /proc/PID/io at exit, reaped children taken out: every file, not only "
           "pipes):\n";
    for (const ProcessInfo &p : state.processes()) {
        const auto io = bytes.atExit.find(p.pid);
        const std::string r = io == bytes.atExit.end() ? "?" : std::to_string(io->second.rchar);
        const std::string w = io == bytes.atExit.end() ? "?" : std::to_string(io->second.wchar);
        std::snprintf(row, sizeof row, "  %7d %-12s rchar %10s  wchar %10s  %s\n", p.pid, name(p.pid).c_str(),
            r.c_str(), w.c_str(),
            p.state == ProcessState::Reaped || p.state == ProcessState::Exited
                ? EventFormat::waitStatus(p.status).c_str()
                : processStateName(p.state));
        out += row;
    }
    out += "(derived, not counted per call: a process's rchar (wchar) is credited to a pipe only for the time it "
           "held the read (write) end at its stdin (stdout), and is assumed to have gone there; a holder whose "
           "counts did not move provably moved nothing through it; one whose counts moved with the end elsewhere "
           "makes that side unknown (?). bytes is the smaller of written and read when both are known.)\n";
    return out;
}

} // namespace pipescope
