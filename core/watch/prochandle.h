#pragma once

#include "core/watch/procreader.h"

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pipescope
{

/// The /proc files of one watched process, kept open between samples and
/// read again from their start (pread at 0 makes the kernel regenerate a
/// /proc file): a sample costs one system call per file instead of three,
/// which is most of a watcher's cost for a large tree. Its fd table is
/// listed at every call, but links are read only for fd numbers that are
/// new, or all of them when asked to verify. Files opened for a pid stay
/// bound to that process: once it is reaped they fail, even if the pid is
/// reused. Open files are shared out from a budget (half the fd limit) so a
/// huge tree cannot exhaust the watcher's fds; past it, files are opened
/// and closed per read, as ProcReader does.
class ProcHandle
{
public:
    /// keepFiles false: open and close the files per read (for processes read
    /// rarely), keeping only what it learnt of the fd table.
    explicit ProcHandle(pid_t pid = 0, bool keepFiles = true) : m_pid(pid), m_keepFiles(keepFiles) { }
    ~ProcHandle();
    ProcHandle(ProcHandle &&other) noexcept;
    ProcHandle &operator=(ProcHandle &&other) noexcept;
    ProcHandle(const ProcHandle &) = delete;
    ProcHandle &operator=(const ProcHandle &) = delete;

    pid_t pid() const { return m_pid; }
    std::optional<ProcStat> stat();
    bool io(std::uint64_t *rchar, std::uint64_t *wchar);
    /// The kernel function it sleeps in, empty when it runs (as ProcReader::wchan).
    std::string wchan();
    /// Children of the process; `threads` as ProcReader::children.
    std::vector<pid_t> children(long threads);
    /// Its fd table (empty when it has gone or has no fd). `verify`: read every
    /// link again, for an fd number that now points elsewhere (dup2 onto it,
    /// exec); otherwise only new numbers are read.
    const std::vector<FdLink> &fds(bool verify);
    /// A pidfd of the process (pidfd_open once, kept), -1 when it has gone.
    int pidfd();
    /// Closes every file (the process has exited, or is no longer watched).
    void release();

    /// How many files all handles keep open now.
    static int keptFiles();

private:
    enum Slot { Stat, Io, Wchan, Children, FdDir, PidFd, SlotCount };
    /// Reads /proc/PID/<leaf> into buf from its start, keeping it open when the budget allows.
    ssize_t read(Slot slot, const char *leaf, char *buf, std::size_t size);
    int keep(Slot slot, int fd);
    bool listFds(std::vector<int> *numbers);

    pid_t m_pid = 0;
    bool m_keepFiles = true;
    int m_fds[SlotCount] = {-1, -1, -1, -1, -1, -1};
    bool m_gone = false;
    std::vector<FdLink> m_links;
};

} // namespace pipescope
