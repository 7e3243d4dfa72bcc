#include "core/watch/watchtext.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstring>

namespace pipescope
{

namespace
{

std::string pad(std::string s, std::size_t width)
{
    if (s.size() < width)
        s.append(width - s.size(), ' ');
    return s;
}

std::string ends(const WatchSample &s, const std::vector<pid_t> &pids)
{
    std::string out;
    for (const pid_t pid : pids) {
        if (const WatchedProcess *p = s.process(pid))
            out += (out.empty() ? "" : ",") + WatchText::state(*p);
    }
    return out.empty() ? "-" : out;
}

std::string side(const std::string &names)
{
    return names == "?" ? "(outside)" : names;
}

} // namespace

std::string WatchText::bytes(double n)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (n >= 1024 && u < 4) {
        n /= 1024;
        ++u;
    }
    char buf[32];
    if (u == 0)
        std::snprintf(buf, sizeof buf, "%.0f %s", n, units[u]);
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", n, units[u]);
    return buf;
}

std::string WatchText::bar(std::int64_t fill, std::int64_t capacity, int width)
{
    if (fill < 0 || capacity <= 0)
        return "[" + pad("?", static_cast<std::size_t>(width)) + "]";
    const auto cells = static_cast<int>((fill * width + capacity - 1) / capacity);
    std::string out = "[";
    for (int i = 0; i < width; ++i)
        out += i < cells ? '#' : '.';
    return out + "]";
}

std::string WatchText::status(int raw)
{
    if (raw == -1) // ended, but reaped by someone else before its status could be learnt
        return "exit status not seen";
    if (WIFEXITED(raw))
        return "exited " + std::to_string(WEXITSTATUS(raw));
    if (WIFSIGNALED(raw)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(raw));
        return std::string("killed by ") + (abbrev ? "SIG" + std::string(abbrev) : std::to_string(WTERMSIG(raw)));
    }
    return "status " + std::to_string(raw);
}

std::string WatchText::state(const WatchedProcess &p)
{
    if (p.exited())
        return p.statusKnown ? status(p.exitStatus) : "exited";
    return watchStateName(p.state);
}

std::vector<std::string> WatchText::lines(const WatchSample &s, const std::optional<Bottleneck> &bottleneck)
{
    std::vector<std::string> out;
    char head[160];
    std::snprintf(head, sizeof head, "%d processes, %zu pipes  (sample #%llu took %.1f ms)", s.liveCount(),
        s.pipes.size(), static_cast<unsigned long long>(s.seq), static_cast<double>(s.costNs) / 1e6);
    out.emplace_back(head);
    for (const WatchedPipe &p : s.pipes) {
        // A pipe to the outside (the terminal, the caller) only when its bytes are known.
        if ((p.from == "?" || p.to == "?") && p.basis == ByteBasis::None)
            continue;
        std::string line = pad(side(p.from) + " -> " + side(p.to), 24) + " ";
        line += pad(p.basis == ByteBasis::None ? "?" : bytes(static_cast<double>(p.bytes)), 10) + " ";
        line += pad(bytes(p.rate) + "/s", 12) + " ";
        line += bar(p.fill, p.capacity, 16) + " ";
        line += pad(p.fill < 0 ? "?" : bytes(static_cast<double>(p.fill)), 9) + "/ ";
        line += pad(p.capacity < 0 ? "?" : bytes(static_cast<double>(p.capacity)), 9) + " ";
        line += ends(s, p.writers) + " | " + ends(s, p.readers);
        out.push_back(line);
    }
    out.push_back(bottleneck ? "bottleneck: " + bottleneck->text() : "bottleneck: none yet");
    return out;
}

std::string WatchText::accountingNote(bool accountingOpen, const std::string &problem, bool recordsLost)
{
    if (!accountingOpen)
        return "note: counts of processes that exited are from their last sample (exit accounting unavailable: "
            + problem + ")\n";
    if (recordsLost)
        return "note: the kernel dropped some exit records (its netlink buffer overflowed): a process whose record "
               "was lost keeps the counts of its last sample, marked 'at least'\n";
    return {};
}

std::string WatchText::summary(const std::vector<WatchedProcess> &processes, const std::vector<WatchedPipe> &pipes,
    const std::optional<Bottleneck> &bottleneck, double seconds, int commandStatus)
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "summary: watched %.2f s, %zu processes, %zu pipes\n", seconds, processes.size(),
        pipes.size());
    std::string out = buf;
    for (const WatchedProcess &p : processes) {
        out += "  " + std::to_string(p.pid) + " " + pad(p.name, 16) + " " + state(p) + ", read "
            + std::to_string(p.rchar) + " B, wrote " + std::to_string(p.wchar) + " B"
            + (p.countsFinal ? " (final)" : " (at least: counted at its last sample)") + "\n";
    }
    for (const WatchedPipe &p : pipes) {
        if ((p.from == "?" || p.to == "?") && p.basis == ByteBasis::None)
            continue; // a pipe to the outside whose bytes nobody here can count
        out += "  pipe " + side(p.from) + " -> " + side(p.to) + ": ";
        if (p.basis == ByteBasis::None) {
            out += "bytes unknown (the processes at its ends also read or write other files)";
        } else {
            const bool readers
                = p.basis == ByteBasis::Readers || (p.basis == ByteBasis::Both && p.bytesOut < p.bytesIn);
            out += (p.bytesFinal ? "" : "at least ") + std::to_string(p.bytes) + " B ("
                + bytes(static_cast<double>(p.bytes)) + ")";
            if (p.bytesFinal && p.bytesSlack > 0)
                out += " or up to " + std::to_string(p.bytesSlack) + " B more (exit accounting rounds down to KiB)";
            out += readers ? ", read out by " + side(p.to) : ", written in by " + side(p.from);
            if (p.basis == ByteBasis::Both)
                out += std::string(" (the smaller of the two ends' counts: ") + std::to_string(p.bytesIn)
                    + " B written in, " + std::to_string(p.bytesOut) + " B read out)";
            out += p.bytesFinal ? ", their final counts" : ", counted at their last sample";
            out += readers ? "; every read counts, a program loader's few KiB too"
                           : "; what was left unread counts too";
            if (p.bytesAssumed)
                out += "; assumes they used only their " + std::string(readers ? "stdin" : "stdout")
                    + " (they had other files open)";
        }
        if (p.capacity > 0)
            out += ", capacity " + bytes(static_cast<double>(p.capacity));
        out += "\n";
    }
    out += bottleneck ? "bottleneck: " + bottleneck->text() + "\n" : "bottleneck: none found\n";
    if (commandStatus >= 0)
        out += "command: " + status(commandStatus) + "\n";
    return out;
}

} // namespace pipescope
