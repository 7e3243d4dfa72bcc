#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pipescope
{

/// One process's last word, sent by the kernel as it exits.
struct ExitRecord {
    pid_t pid = 0;
    pid_t ppid = 0;
    std::string comm;
    /// Its rchar and wchar at exit, rounded DOWN to a multiple of 1024 by the
    /// kernel (taskstats reports characters in whole KiB): the truth is at
    /// most 1023 bytes more.
    std::uint64_t rchar = 0;
    std::uint64_t wchar = 0;
    int exitStatus = 0; ///< raw wait status
    /// How far the counts may be below the truth: the kernel's rounding.
    static constexpr std::uint64_t kSlack = 1023;
};

/// The kernel's exit accounting (taskstats over generic netlink): for every
/// process that exits, its final byte counts and status, before its parent
/// reaps it. Sampling /proc misses what a process moves between its last
/// sample and its exit; this does not. Needs CAP_NET_ADMIN and a kernel with
/// CONFIG_TASKSTATS and CONFIG_TASK_XACCT; without them open() fails and a
/// watcher keeps its sampled lower bounds.
class ExitAccounting
{
public:
    ExitAccounting() = default;
    ~ExitAccounting();
    ExitAccounting(const ExitAccounting &) = delete;
    ExitAccounting &operator=(const ExitAccounting &) = delete;

    /// Room asked for in the netlink socket's receive buffer: a few thousand records.
    static constexpr int kReceiveBuffer = 4 << 20;

    /// Starts listening for exits on every CPU, with kReceiveBuffer of room. False,
    /// with the reason, when the kernel or our privileges do not allow it.
    bool open(std::string *problem);
    /// Bytes of records the kernel may queue before it drops the next (tests make it
    /// tiny to lose records on purpose). Returns the size granted (receiveBuffer()).
    int setReceiveBuffer(int bytes);
    bool isOpen() const { return m_fd >= 0; }
    /// The netlink socket, readable when records wait (-1 when not open).
    int fd() const { return m_fd; }
    /// Every record that has arrived, without blocking. Records of the whole
    /// system arrive: the caller keeps the ones of its processes. Some may be
    /// lost when many processes exit at once (the socket's buffer overflows):
    /// then recordsLost() is true, and a process with no record has only the
    /// counts of its last sample, a lower bound.
    std::vector<ExitRecord> drain();
    /// The kernel dropped records since open() (recv said ENOBUFS): not every exit has its last word.
    bool recordsLost() const { return m_overflows > 0; }
    /// How many times the kernel said it dropped records (each time one or more).
    int overflows() const { return m_overflows; }
    /// The receive buffer the kernel granted, in bytes (it doubles what is asked, within its limits).
    int receiveBuffer() const { return m_receiveBuffer; }
    void close();

private:
    bool command(int cmd, int attr, const void *data, int length);

    int m_fd = -1;
    int m_family = -1;
    std::string m_cpus;
    int m_overflows = 0;
    int m_receiveBuffer = 0;
};

} // namespace pipescope
