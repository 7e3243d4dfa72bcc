#include "core/trace/fdtable.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>

namespace pipescope
{

FdTarget FdTable::parseLink(const std::string &link)
{
    FdTarget target;
    const auto inodeOf = [&](std::size_t prefix) { return std::strtoull(link.c_str() + prefix, nullptr, 10); };
    if (link.rfind("pipe:[", 0) == 0) {
        target.kind = FdTarget::Kind::Pipe;
        target.inode = inodeOf(6);
    } else if (link.rfind("socket:[", 0) == 0) {
        target.kind = FdTarget::Kind::Socket;
        target.inode = inodeOf(8);
    }
    return target;
}

FdTarget FdTable::probe(pid_t pid, int fd)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    char link[128];
    const ssize_t n = readlink(path.c_str(), link, sizeof link - 1);
    if (n <= 0)
        return {};
    const FdTarget target = parseLink(std::string(link, static_cast<std::size_t>(n)));
    if (target.kind != FdTarget::Kind::Other || link[0] != '/')
        return target;
    // A FIFO's link is its name, not "pipe:[N]": stat through the link finds the pipe,
    // and its inode is what fstat of the end gives (as a scenario's FIFO knows it).
    struct stat st {
    };
    if (stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode))
        return {FdTarget::Kind::Pipe, static_cast<std::uint64_t>(st.st_ino)};
    return target;
}

FdTarget FdTable::lookup(pid_t pid, int fd)
{
    if (fd < 0)
        return {};
    if (const auto it = m_fds.find(fd); it != m_fds.end())
        return it->second;
    // Cache only what /proc showed: a number that is not open now may be
    // opened later by an untraced call (open, socket), which we would not see.
    const std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    char link[2];
    if (readlink(path.c_str(), link, sizeof link) <= 0)
        return {};
    const FdTarget target = probe(pid, fd);
    m_fds[fd] = target;
    return target;
}

std::int64_t FdTable::pipeCapacity(pid_t pid, int fd)
{
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0)
        return 0;
    const int copy = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0));
    close(pidfd);
    if (copy < 0)
        return 0;
    const int size = fcntl(copy, F_GETPIPE_SZ);
    close(copy); // at once: the copy keeps its end open while it lives
    return size > 0 ? size : 0;
}

void FdTable::reload(pid_t pid)
{
    m_fds.clear();
    const std::string dirPath = "/proc/" + std::to_string(pid) + "/fd";
    DIR *dir = opendir(dirPath.c_str());
    if (!dir)
        return;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        const int fd = std::atoi(entry->d_name);
        m_fds[fd] = probe(pid, fd);
    }
    closedir(dir);
}

std::map<int, FdTarget> FdTable::droppedPipes(const FdTable &before) const
{
    std::map<int, FdTarget> out;
    for (const auto &[fd, target] : before.m_fds) {
        const auto now = m_fds.find(fd);
        if (target.isPipe() && (now == m_fds.end() || now->second.inode != target.inode))
            out.emplace(fd, target);
    }
    return out;
}

} // namespace pipescope
