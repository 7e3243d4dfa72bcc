#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

/// What the kernel says about one process right now (/proc/PID/stat, wchan, syscall).
struct ProcessProbe {
    char state = '?'; ///< R, S, D, Z, T, ...
    std::string wchan; ///< kernel function it sleeps in ("anon_pipe_read"), empty when running
    long syscall = -1; ///< syscall number it is blocked in, -1 when running or unknown
    long arg0 = -1; ///< first syscall argument (the fd for read/write)
    int exitCode = 0; ///< raw wait status, meaningful once state is Z

    bool sleeping() const { return state == 'S' || state == 'D'; }
    bool zombie() const { return state == 'Z'; }
    /// "blocked in read(3)" style text, or empty when not blocked on a syscall.
    std::string describe() const;
};

/// One open file descriptor of a process (/proc/PID/fd and fdinfo).
struct FdEntry {
    int fd = -1;
    std::string target; ///< readlink of /proc/PID/fd/N, e.g. "pipe:[1234]"
    std::uint64_t pipeInode = 0; ///< non-zero for pipes (a FIFO opened by name too: the same kernel pipe)
    std::uint64_t socketInode = 0; ///< non-zero for sockets ("socket:[1234]")
    bool readEnd = false;
    bool writeEnd = false;
    bool nonBlocking = false;
    bool closeOnExec = false;
};

class ProcProbe
{
public:
    /// Nothing when the process does not exist (or was reaped).
    static std::optional<ProcessProbe> probe(pid_t pid);
    static std::vector<FdEntry> fdTable(pid_t pid);
    /// Open fds of the calling process (for leak checks).
    static int countOpenFds();
    /// Children of pid that the kernel lists in /proc/PID/task/*/children.
    static std::vector<pid_t> children(pid_t pid);
    static std::optional<std::string> readFile(const std::string &path);
};

} // namespace pipescope
