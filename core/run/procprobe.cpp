#include "core/run/procprobe.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace pipescope
{

std::optional<std::string> ProcProbe::readFile(const std::string &path)
{
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string out;
    char buf[4096];
    for (;;) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    return out;
}

std::optional<ProcessProbe> ProcProbe::probe(pid_t pid)
{
    const std::string base = "/proc/" + std::to_string(pid);
    const auto stat = readFile(base + "/stat");
    if (!stat)
        return std::nullopt;
    ProcessProbe p;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const auto close = stat->rfind(')');
    if (close == std::string::npos || close + 2 >= stat->size())
        return std::nullopt;
    std::istringstream fields(stat->substr(close + 2));
    std::string field;
    std::vector<std::string> rest;
    while (fields >> field)
        rest.push_back(field);
    if (rest.empty())
        return std::nullopt;
    p.state = rest[0][0];
    // exit_code is field 52 of stat; rest[] starts at field 3.
    if (rest.size() >= 50)
        p.exitCode = std::atoi(rest[49].c_str());
    if (p.sleeping()) {
        p.wchan = readFile(base + "/wchan").value_or(std::string());
        if (p.wchan == "0")
            p.wchan.clear();
        // /proc/PID/syscall makes the kernel wait for the task to be off the CPU:
        // read it only for the waits we explain with an fd.
        const bool withFd = p.wchan.find("pipe") != std::string::npos || p.wchan == "unix_stream_data_wait";
        if (const auto sc = withFd ? readFile(base + "/syscall") : std::nullopt) {
            std::istringstream in(*sc);
            std::string nr, a0;
            if (in >> nr >> a0 && nr != "running") {
                p.syscall = std::strtol(nr.c_str(), nullptr, 10);
                p.arg0 = std::strtol(a0.c_str(), nullptr, 16);
            }
        }
    }
    return p;
}

std::string ProcessProbe::describe() const
{
    // No wchan: it was waking up as we looked; nothing to explain.
    if (!sleeping() || wchan.empty())
        return {};
    const std::string fd = std::to_string(arg0);
    if (wchan == "anon_pipe_read" || wchan == "pipe_read")
        return "blocked in read(" + fd + "): pipe empty";
    if (wchan == "anon_pipe_write" || wchan == "pipe_write")
        return "blocked in write(" + fd + "): pipe full";
    if (wchan == "wait_for_partner")
        return "blocked in open(): a FIFO opens only once it has both a reader and a writer";
    if (wchan == "unix_stream_data_wait")
        return "blocked in read(" + fd + "): socket empty";
    if (wchan == "do_select" || wchan == "core_sys_select")
        return "waiting in select()";
    if (wchan == "do_sys_poll" || wchan == "do_poll")
        return "waiting in poll()";
    if (wchan == "do_wait" || wchan == "kernel_wait4")
        return "waiting in waitpid()";
    if (wchan == "hrtimer_nanosleep" || wchan == "do_nanosleep")
        return "sleeping (nanosleep)";
    if (wchan.rfind("futex", 0) == 0)
        return "held at its gate";
    return "sleeping in " + wchan;
}

std::vector<FdEntry> ProcProbe::fdTable(pid_t pid)
{
    std::vector<FdEntry> out;
    const std::string base = "/proc/" + std::to_string(pid);
    DIR *dir = opendir((base + "/fd").c_str());
    if (!dir)
        return out;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        FdEntry e;
        e.fd = std::atoi(entry->d_name);
        char target[256];
        const ssize_t n = readlink((base + "/fd/" + entry->d_name).c_str(), target, sizeof target - 1);
        if (n < 0)
            continue;
        e.target.assign(target, static_cast<std::size_t>(n));
        if (e.target.rfind("pipe:[", 0) == 0)
            e.pipeInode = std::strtoull(e.target.c_str() + 6, nullptr, 10);
        else if (e.target.rfind("socket:[", 0) == 0)
            e.socketInode = std::strtoull(e.target.c_str() + 8, nullptr, 10);
        else if (struct stat st {}; e.target.rfind('/', 0) == 0
                 && stat((base + "/fd/" + entry->d_name).c_str(), &st) == 0 && S_ISFIFO(st.st_mode))
            e.pipeInode = st.st_ino; // a FIFO opened by name: /proc shows its path, the inode joins its ends
        if (const auto info = readFile(base + "/fdinfo/" + entry->d_name)) {
            const auto pos = info->find("flags:");
            if (pos != std::string::npos) {
                const long flags = std::strtol(info->c_str() + pos + 6, nullptr, 8);
                const long mode = flags & O_ACCMODE;
                e.readEnd = mode == O_RDONLY || mode == O_RDWR;
                e.writeEnd = mode == O_WRONLY || mode == O_RDWR;
                e.nonBlocking = flags & O_NONBLOCK;
                e.closeOnExec = flags & O_CLOEXEC;
            }
        }
        out.push_back(e);
    }
    closedir(dir);
    std::sort(out.begin(), out.end(), [](const FdEntry &a, const FdEntry &b) { return a.fd < b.fd; });
    return out;
}

int ProcProbe::countOpenFds()
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] != '.')
            ++n;
    }
    closedir(dir);
    return n - 1; // the directory stream's own fd
}

std::vector<pid_t> ProcProbe::children(pid_t pid)
{
    std::vector<pid_t> out;
    const std::string base = "/proc/" + std::to_string(pid) + "/task";
    DIR *dir = opendir(base.c_str());
    if (!dir)
        return out;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        std::istringstream in(readFile(base + "/" + entry->d_name + "/children").value_or(std::string()));
        pid_t child;
        while (in >> child)
            out.push_back(child);
    }
    closedir(dir);
    return out;
}

} // namespace pipescope
