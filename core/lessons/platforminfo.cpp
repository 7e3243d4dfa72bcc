#include "core/lessons/platforminfo.h"

#include "core/run/procprobe.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>

namespace pipescope
{

namespace
{

std::int64_t limitValue(rlim_t value)
{
    return value == RLIM_INFINITY ? -1 : static_cast<std::int64_t>(value);
}

} // namespace

PlatformInfo PlatformInfo::read()
{
    PlatformInfo info;
    // PIPE_BUF and the default capacity are properties of a real pipe, so ask one.
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) == 0) {
        info.m_pipeBuf = fpathconf(fds[1], _PC_PIPE_BUF);
        info.m_defaultCapacity = fcntl(fds[0], F_GETPIPE_SZ);
        close(fds[0]);
        close(fds[1]);
    }
    if (const auto max = ProcProbe::readFile("/proc/sys/fs/pipe-max-size"))
        info.m_maxCapacity = std::strtoll(max->c_str(), nullptr, 10);
    info.m_pageSize = sysconf(_SC_PAGESIZE);
    rlimit files {};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        info.m_openFilesSoft = limitValue(files.rlim_cur);
        info.m_openFilesHard = limitValue(files.rlim_max);
    }
    utsname name {};
    if (uname(&name) == 0)
        info.m_kernel = std::string(name.sysname) + " " + name.release;
    return info;
}

std::vector<PlatformFact> PlatformInfo::facts() const
{
    return {
        {"pipe-buf", "Atomic write limit (PIPE_BUF)", m_pipeBuf, "bytes", "fpathconf(_PC_PIPE_BUF) on a pipe",
            "POSIX requires at least 512; Linux 4096, macOS and the BSDs 512: larger writes may interleave."},
        {"pipe-capacity", "Default pipe capacity", m_defaultCapacity, "bytes", "fcntl(F_GETPIPE_SZ) on a new pipe",
            "Linux 16 pages (64K with 4K pages); macOS starts at 16K and grows to 64K; POSIX sets no size."},
        {"pipe-max-size", "Largest capacity F_SETPIPE_SZ may set", m_maxCapacity, "bytes", "/proc/sys/fs/pipe-max-size",
            "Linux only (default 1M, more needs CAP_SYS_RESOURCE); other systems cannot resize a pipe."},
        {"page-size", "Memory page size", m_pageSize, "bytes", "sysconf(_SC_PAGESIZE)",
            "4K on x86-64; 16K on Apple silicon, 64K on some ARM64 and POWER kernels: pipe buffers count in pages."},
        {"open-files", "Open-file limit (soft)", m_openFilesSoft, "files", "getrlimit(RLIMIT_NOFILE)",
            "Each pipe costs two fds; shells often default to 1024, macOS to 256 (raise with ulimit -n)."},
        {"open-files-hard", "Open-file limit (hard)", m_openFilesHard, "files", "getrlimit(RLIMIT_NOFILE)",
            "The ceiling ulimit -n may raise the soft limit to without privileges; -1 means unlimited."},
    };
}

std::string PlatformInfo::text() const
{
    std::string out = "Kernel: " + (m_kernel.empty() ? std::string("unknown") : m_kernel) + "\n";
    for (const PlatformFact &f : facts()) {
        out += f.label + ": " + (f.value < 0 ? std::string("unknown") : std::to_string(f.value) + " " + f.unit) + " ("
            + f.source + "). " + f.elsewhere + "\n";
    }
    return out;
}

} // namespace pipescope
