#include "core/trace/ioledger.h"

#include <fcntl.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace pipescope
{

namespace
{

ProcIo minus(const ProcIo &a, const ProcIo &b)
{
    return {a.rchar - b.rchar, a.wchar - b.wchar, a.syscr - b.syscr, a.syscw - b.syscw};
}

} // namespace

std::optional<ProcIo> IoLedger::read(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/io";
    FILE *f = std::fopen(path.c_str(), "re");
    if (!f)
        return std::nullopt;
    ProcIo io;
    int found = 0;
    char name[64];
    unsigned long long value = 0;
    while (std::fscanf(f, "%63[^:]: %llu\n", name, &value) == 2) {
        const std::string key = name;
        std::uint64_t *slot = key == "rchar" ? &io.rchar
            : key == "wchar"                 ? &io.wchar
            : key == "syscr"                 ? &io.syscr
            : key == "syscw"                 ? &io.syscw
                                             : nullptr;
        if (slot) {
            *slot = value;
            ++found;
        }
    }
    std::fclose(f);
    if (found != 4)
        return std::nullopt;
    return io;
}

std::optional<bool> IoLedger::isWriteEnd(pid_t pid, int fd)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd);
    FILE *f = std::fopen(path.c_str(), "re");
    if (!f)
        return std::nullopt;
    char line[128];
    std::optional<bool> out;
    while (std::fgets(line, sizeof line, f)) {
        unsigned long flags = 0;
        if (std::sscanf(line, "flags: %lo", &flags) == 1) {
            out = (flags & O_ACCMODE) == O_WRONLY;
            break;
        }
    }
    std::fclose(f);
    return out;
}

void IoLedger::look(pid_t pid, const FdTable &fds)
{
    auto io = read(pid);
    if (!io)
        return; // gone already: its exit stop (or its absence) decides
    io = minus(*io, m_reapedIo[pid]);
    auto &known = m_directions[pid];
    std::vector<End> ends;
    for (const auto &[fd, target] : fds.entries()) {
        if (!target.isPipe())
            continue;
        auto it = known.find(fd);
        if (it == known.end() || it->second.inode != target.inode) {
            const auto write = isWriteEnd(pid, fd);
            if (!write) {
                // Direction unknown: held both ways, so that neither side is credited wrongly.
                ends.push_back({fd, target.inode, true});
                ends.push_back({fd, target.inode, false});
                continue;
            }
            it = known.insert_or_assign(fd, End {fd, target.inode, *write}).first;
        }
        ends.push_back(it->second);
    }
    snapshot(pid, *io, ends);
}

void IoLedger::forked(pid_t child, pid_t parent)
{
    m_directions[child] = m_directions[parent];
    snapshot(child, ProcIo {}, ends(parent));
}

void IoLedger::exitStop(pid_t pid)
{
    if (const auto io = read(pid)) {
        m_rawAtExit[pid] = *io;
        exited(pid, minus(*io, m_reapedIo[pid]));
    }
}

void IoLedger::reaped(pid_t parent, pid_t child)
{
    const auto io = m_rawAtExit.find(child);
    if (io == m_rawAtExit.end()) {
        for (auto &[key, h] : m_open[parent])
            h.tainted = true;
        return;
    }
    ProcIo &sum = m_reapedIo[parent];
    sum.rchar += io->second.rchar;
    sum.wchar += io->second.wchar;
    sum.syscr += io->second.syscr;
    sum.syscw += io->second.syscw;
}

void IoLedger::snapshot(pid_t pid, const ProcIo &io, const std::vector<End> &ends)
{
    auto &open = m_open[pid];
    std::map<std::pair<std::uint64_t, bool>, bool> held; // each end held, and whether at its std fd
    for (const End &e : ends) {
        bool &atStd = held[{e.inode, e.writeEnd}];
        atStd = atStd || e.fd == (e.writeEnd ? 1 : 0);
    }
    std::set<Key> now;
    for (const auto &[end, atStd] : held)
        now.insert({end.first, end.second, atStd});
    for (auto it = open.begin(); it != open.end();) {
        if (now.count(it->first)) {
            ++it;
            continue;
        }
        const bool write = std::get<1>(it->first);
        m_closed.push_back({pid, it->first, side(io, write) - side(it->second.start, write), !it->second.tainted});
        it = open.erase(it);
    }
    for (const Key &key : now) {
        if (!open.count(key))
            open[key] = Holding {io, false};
    }
    m_ends[pid] = ends;
    m_last[pid] = io;
}

void IoLedger::exited(pid_t pid, const ProcIo &io)
{
    snapshot(pid, io, {});
    m_atExit[pid] = io;
}

std::vector<IoLedger::End> IoLedger::ends(pid_t pid) const
{
    const auto it = m_ends.find(pid);
    return it == m_ends.end() ? std::vector<End> {} : it->second;
}

DerivedBytes IoLedger::result() const
{
    std::vector<Closed> all = m_closed;
    // A holding never closed (its exit stop was not seen, e.g. SIGKILL): what it
    // moved is known only if its counts did not move since it began.
    for (const auto &[pid, open] : m_open) {
        const auto last = m_last.find(pid);
        for (const auto &[key, h] : open) {
            const bool write = std::get<1>(key);
            const std::uint64_t moved = last == m_last.end() ? 0 : side(last->second, write) - side(h.start, write);
            all.push_back({pid, key, 0, moved == 0 && !h.tainted});
        }
    }
    std::map<std::uint64_t, PipeBytes> pipes;
    std::map<std::uint64_t, std::pair<bool, bool>> unknown; // write side, read side
    std::map<std::uint64_t, std::pair<bool, bool>> seen; // a holder of that side was seen
    for (const Closed &c : all) {
        const auto [inode, write, atStd] = c.key;
        PipeBytes &p = pipes[inode];
        p.inode = inode;
        auto &u = unknown[inode];
        auto &held = seen[inode];
        (write ? held.first : held.second) = true;
        bool &sideUnknown = write ? u.first : u.second;
        if (!c.known) {
            sideUnknown = true;
            continue;
        }
        if (c.moved == 0)
            continue; // provably nothing through this end while it held it
        if (!atStd) {
            sideUnknown = true; // its counts moved, but maybe through another file
            continue;
        }
        (write ? p.writers : p.readers)[c.pid] += c.moved;
        (write ? p.written : p.read) += c.moved;
    }
    DerivedBytes out;
    for (auto &[inode, p] : pipes) {
        const auto &u = unknown[inode];
        const auto &held = seen[inode];
        // A side whose every holding stayed at 0 moved nothing: 0 is then known too. A side
        // nobody of the tree held is outside it: unknown.
        p.writtenKnown = held.first && !u.first;
        p.readKnown = held.second && !u.second;
        out.pipes.push_back(p);
    }
    out.atExit = m_atExit;
    return out;
}

} // namespace pipescope
