#include "core/watch/procreader.h"

#include "core/run/procprobe.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pipescope
{

namespace
{

// Reads a small /proc file into buf; returns its length, -1 when it cannot be read.
ssize_t readSmall(const char *path, char *buf, std::size_t size)
{
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t total = 0;
    for (;;) {
        const ssize_t n = read(fd, buf + total, size - 1 - static_cast<std::size_t>(total));
        if (n < 0 && errno == EINTR)
            continue; // a signal (Ctrl+C) is no reason to report a process gone
        if (n <= 0)
            break;
        total += n;
        if (static_cast<std::size_t>(total) >= size - 1)
            break;
    }
    close(fd);
    buf[total] = '\0';
    return total;
}

} // namespace

std::string ProcReader::path(pid_t pid, const char *leaf)
{
    return "/proc/" + std::to_string(pid) + "/" + leaf;
}

bool ProcReader::numeric(const char *name)
{
    if (!*name)
        return false;
    for (; *name; ++name) {
        if (*name < '0' || *name > '9')
            return false;
    }
    return true;
}

std::optional<ProcStat> ProcReader::stat(pid_t pid)
{
    char buf[1024];
    if (readSmall(ProcReader::path(pid, "stat").c_str(), buf, sizeof buf) <= 0)
        return std::nullopt;
    return parseStat(buf);
}

std::optional<ProcStat> ProcReader::parseStat(const char *buf)
{
    // The command name may hold spaces and parentheses: it ends at the last ')'.
    const char *open = std::strchr(buf, '(');
    const char *close = std::strrchr(buf, ')');
    if (!open || !close || close < open || close[1] != ' ')
        return std::nullopt;
    ProcStat s;
    s.comm.assign(open + 1, static_cast<std::size_t>(close - open - 1));
    // Fields from 3 (state) on, separated by single spaces.
    const char *p = close + 2;
    for (int field = 3; *p && field <= 52; ++field) {
        char *end = nullptr;
        switch (field) {
        case 3: s.state = *p; break;
        case 4: s.ppid = static_cast<pid_t>(std::strtol(p, &end, 10)); break;
        case 5: s.pgrp = static_cast<pid_t>(std::strtol(p, &end, 10)); break;
        case 9: s.flags = std::strtoul(p, &end, 10); break;
        case 20: s.threads = std::strtol(p, &end, 10); break;
        case 22: s.startTime = std::strtoull(p, &end, 10); break;
        case 52: s.exitCode = static_cast<int>(std::strtol(p, &end, 10)); break;
        default: break;
        }
        p = std::strchr(p, ' ');
        if (!p)
            break;
        ++p;
    }
    return s;
}

bool ProcReader::io(pid_t pid, std::uint64_t *rchar, std::uint64_t *wchar)
{
    char buf[512];
    if (readSmall(ProcReader::path(pid, "io").c_str(), buf, sizeof buf) <= 0)
        return false;
    return parseIo(buf, rchar, wchar);
}

bool ProcReader::parseIo(const char *buf, std::uint64_t *rchar, std::uint64_t *wchar)
{
    const char *r = std::strstr(buf, "rchar: ");
    const char *w = std::strstr(buf, "wchar: ");
    if (!r || !w)
        return false;
    *rchar = std::strtoull(r + 7, nullptr, 10);
    *wchar = std::strtoull(w + 7, nullptr, 10);
    return true;
}

std::string ProcReader::wchan(pid_t pid)
{
    char buf[128];
    if (readSmall(ProcReader::path(pid, "wchan").c_str(), buf, sizeof buf) <= 0)
        return {};
    const std::string w(buf);
    return w == "0" ? std::string() : w;
}

std::optional<ProcCall> ProcReader::call(pid_t pid)
{
    char buf[256];
    if (readSmall(ProcReader::path(pid, "syscall").c_str(), buf, sizeof buf) <= 0)
        return std::nullopt;
    ProcCall c;
    // "1 0x1 0x7f.. ..." asleep in a call: its number, then its arguments; "running" otherwise.
    if (std::strncmp(buf, "running", 7) == 0) {
        c.running = true;
        return c;
    }
    char *end = nullptr;
    c.nr = std::strtol(buf, &end, 10);
    if (end == buf)
        return std::nullopt;
    switch (c.nr) {
    case SYS_write:
    case SYS_writev:
    case SYS_pwrite64:
    case SYS_pwritev:
    case SYS_pwritev2: c.writes = true; [[fallthrough]];
    case SYS_read:
    case SYS_readv:
    case SYS_pread64:
    case SYS_preadv:
    case SYS_preadv2: {
        const long fd = std::strtol(end, nullptr, 16);
        c.fd = fd >= 0 && fd < (1L << 30) ? static_cast<int>(fd) : -1;
        break;
    }
    default: break;
    }
    return c;
}

std::vector<FdLink> ProcReader::fds(pid_t pid)
{
    std::vector<FdLink> out;
    const std::string base = ProcReader::path(pid, "fd");
    const int dirFd = open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0)
        return out;
    DIR *dir = fdopendir(dirFd);
    if (!dir) {
        close(dirFd);
        return out;
    }
    while (const dirent *entry = readdir(dir)) {
        if (!ProcReader::numeric(entry->d_name))
            continue;
        char target[256];
        // Relative to the directory's fd: one path walk for the whole table.
        const ssize_t n = readlinkat(dirFd, entry->d_name, target, sizeof target - 1);
        if (n < 0)
            continue;
        out.push_back(fdLink(std::atoi(entry->d_name), target, static_cast<std::size_t>(n)));
    }
    closedir(dir); // closes dirFd too
    return out;
}

long ProcReader::fdFlags(pid_t pid, int fd)
{
    char buf[512];
    if (readSmall(("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd)).c_str(), buf, sizeof buf) <= 0)
        return -1;
    const char *flags = std::strstr(buf, "flags:");
    return flags ? std::strtol(flags + 6, nullptr, 8) : -1;
}

std::vector<pid_t> ProcReader::children(pid_t pid, long threads)
{
    if (threads != 1)
        return ProcProbe::children(pid); // any thread may have forked: read each one's list
    char buf[4096];
    const std::string path = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
    const ssize_t n = readSmall(path.c_str(), buf, sizeof buf);
    if (n < 0 || n >= static_cast<ssize_t>(sizeof buf) - 1)
        return ProcProbe::children(pid); // gone, or too many to fit: the careful way
    return parsePids(buf);
}

std::vector<pid_t> ProcReader::parsePids(const char *buf)
{
    std::vector<pid_t> out;
    for (const char *p = buf; *p;) {
        char *end = nullptr;
        const long child = std::strtol(p, &end, 10);
        if (end == p)
            break;
        out.push_back(static_cast<pid_t>(child));
        p = end;
    }
    return out;
}

FdLink ProcReader::fdLink(int fd, const char *target, std::size_t length)
{
    FdLink link;
    link.fd = fd;
    link.target.assign(target, length);
    if (link.target.rfind("pipe:[", 0) == 0)
        link.pipeInode = std::strtoull(link.target.c_str() + 6, nullptr, 10);
    return link;
}

std::vector<pid_t> ProcReader::allPids()
{
    std::vector<pid_t> out;
    DIR *dir = opendir("/proc");
    if (!dir)
        return out;
    while (const dirent *entry = readdir(dir)) {
        if (ProcReader::numeric(entry->d_name))
            out.push_back(static_cast<pid_t>(std::atoi(entry->d_name)));
    }
    closedir(dir);
    return out;
}

} // namespace pipescope
