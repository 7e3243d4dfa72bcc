#include "core/watch/prochandle.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace pipescope
{

namespace
{

std::atomic<int> g_kept {0};

int budget()
{
    // Computed once: half the soft fd limit, less a margin for everything else.
    static const int value = [] {
        rlimit limit {};
        if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
            return 512;
        return std::max(0, static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 20) / 2) - 64);
    }();
    return value;
}

} // namespace

ProcHandle::~ProcHandle()
{
    release();
}

ProcHandle::ProcHandle(ProcHandle &&other) noexcept
    : m_pid(other.m_pid), m_keepFiles(other.m_keepFiles), m_gone(other.m_gone), m_links(std::move(other.m_links))
{
    std::copy(std::begin(other.m_fds), std::end(other.m_fds), m_fds);
    std::fill(std::begin(other.m_fds), std::end(other.m_fds), -1);
}

ProcHandle &ProcHandle::operator=(ProcHandle &&other) noexcept
{
    if (this != &other) {
        release();
        m_pid = other.m_pid;
        m_keepFiles = other.m_keepFiles;
        m_gone = other.m_gone;
        m_links = std::move(other.m_links);
        std::copy(std::begin(other.m_fds), std::end(other.m_fds), m_fds);
        std::fill(std::begin(other.m_fds), std::end(other.m_fds), -1);
    }
    return *this;
}

void ProcHandle::release()
{
    for (int &fd : m_fds) {
        if (fd >= 0) {
            close(fd);
            --g_kept;
            fd = -1;
        }
    }
    m_links.clear();
}

int ProcHandle::keptFiles()
{
    return g_kept.load();
}

int ProcHandle::keep(Slot slot, int fd)
{
    // Keep it when the budget allows; the caller closes it otherwise.
    if (fd >= 0 && m_keepFiles && g_kept.load() < budget()) {
        m_fds[slot] = fd;
        ++g_kept;
    }
    return fd;
}

ssize_t ProcHandle::read(Slot slot, const char *leaf, char *buf, std::size_t size)
{
    int fd = m_fds[slot];
    const bool kept = fd >= 0;
    if (!kept) {
        fd = keep(slot, open(ProcReader::path(m_pid, leaf).c_str(), O_RDONLY | O_CLOEXEC));
        if (fd < 0)
            return -1;
    }
    ssize_t n;
    // One read from the start is the whole of these small files.
    while ((n = pread(fd, buf, size - 1, 0)) < 0 && errno == EINTR) { }
    if (m_fds[slot] != fd)
        close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return n;
}

std::optional<ProcStat> ProcHandle::stat()
{
    char buf[1024];
    if (read(Stat, "stat", buf, sizeof buf) <= 0)
        return std::nullopt;
    return ProcReader::parseStat(buf);
}

bool ProcHandle::io(std::uint64_t *rchar, std::uint64_t *wchar)
{
    char buf[512];
    if (read(Io, "io", buf, sizeof buf) <= 0)
        return false;
    return ProcReader::parseIo(buf, rchar, wchar);
}

std::string ProcHandle::wchan()
{
    char buf[128];
    if (read(Wchan, "wchan", buf, sizeof buf) <= 0)
        return {};
    const std::string w(buf);
    return w == "0" ? std::string() : w;
}

std::vector<pid_t> ProcHandle::children(long threads)
{
    if (threads != 1)
        return ProcReader::children(m_pid, threads);
    char buf[4096];
    const std::string leaf = "task/" + std::to_string(m_pid) + "/children";
    const ssize_t n = read(Children, leaf.c_str(), buf, sizeof buf);
    if (n < 0 || n >= static_cast<ssize_t>(sizeof buf) - 1)
        return ProcReader::children(m_pid, threads); // too many to fit: the careful way
    return ProcReader::parsePids(buf);
}

bool ProcHandle::listFds(std::vector<int> *numbers)
{
    int fd = m_fds[FdDir];
    if (fd >= 0) {
        // Listed again from its start: the kernel walks the fd table afresh.
        if (lseek(fd, 0, SEEK_SET) != 0)
            return false;
    } else {
        fd = keep(FdDir, open(ProcReader::path(m_pid, "fd").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (fd < 0)
            return false;
    }
    alignas(8) char buf[4096];
    bool ok = true;
    for (;;) {
        const long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        for (long at = 0; at < n;) {
            const auto *entry = reinterpret_cast<const dirent64 *>(buf + at);
            if (ProcReader::numeric(entry->d_name))
                numbers->push_back(std::atoi(entry->d_name));
            at += entry->d_reclen;
        }
        // The kernel stops filling only when the next entry does not fit: with
        // room left for the longest one, the listing is complete.
        if (static_cast<std::size_t>(n) + sizeof(dirent64) <= sizeof buf)
            break;
    }
    if (m_fds[FdDir] != fd)
        close(fd);
    return ok;
}

const std::vector<FdLink> &ProcHandle::fds(bool verify)
{
    std::vector<int> numbers;
    if (!listFds(&numbers)) {
        m_links.clear();
        return m_links;
    }
    std::sort(numbers.begin(), numbers.end());
    std::vector<FdLink> links;
    links.reserve(numbers.size());
    const std::string dir = ProcReader::path(m_pid, "fd/");
    auto old = m_links.begin();
    for (const int number : numbers) {
        while (old != m_links.end() && old->fd < number)
            ++old;
        if (!verify && old != m_links.end() && old->fd == number) {
            links.push_back(*old);
            continue;
        }
        char target[256];
        const ssize_t n = readlink((dir + std::to_string(number)).c_str(), target, sizeof target - 1);
        if (n < 0)
            continue; // closed since it was listed
        links.push_back(ProcReader::fdLink(number, target, static_cast<std::size_t>(n)));
    }
    m_links = std::move(links);
    return m_links;
}

int ProcHandle::pidfd()
{
    if (m_fds[PidFd] >= 0 || m_gone)
        return m_fds[PidFd];
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, m_pid, 0));
    if (fd < 0) {
        m_gone = errno == ESRCH;
        return -1;
    }
    // A pidfd is kept even past the budget: the gauge needs one per measurement anyway.
    m_fds[PidFd] = fd;
    ++g_kept;
    return fd;
}

} // namespace pipescope
