#pragma once

#include "core/model/event.h"

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pipescope
{

struct SharedState;

/// The instrumented system calls of one scenario process. Each call first
/// passes the process's gate (where a controller may hold it, really stopped
/// before the call), then makes the real syscall, then reports what the
/// kernel answered. At full speed, data calls only bump shared counters after
/// the first few, so a long transfer is barely slowed.
class Tracee
{
public:
    /// See pipescope::kTelemetryFd.
    static constexpr int kTelemetryFd = pipescope::kTelemetryFd;
    /// Data events each process logs at full speed before it only counts.
    static constexpr int kFreeRunDataEvents = 64;
    /// What a process says once it has logged kFreeRunDataEvents.
    static constexpr const char *kFreeRunNote
        = "full speed: further reads and writes of this process are counted, not logged";

    struct PipeEnds {
        int readFd = -1;
        int writeFd = -1;
        std::uint64_t inode = 0;
    };

    /// The two ends of a socket pair: each reads and writes.
    struct SocketEnds {
        int first = -1;
        int second = -1;
        std::uint64_t inode = 0; ///< first's socket inode
        std::uint64_t inode2 = 0; ///< second's
    };

    Tracee(SharedState *shared, int eventFd, int slot, std::string role);

    pid_t pid() const { return m_pid; }
    const std::string &role() const { return m_role; }

    /// pipe2(flags). purpose names a pipe that is not the lesson's data path
    /// ("start signal", "exec status"), so the scene can say what it is for.
    PipeEnds pipe(int flags = 0, std::string_view purpose = {});
    /// mkfifo(name, 0600) in a new private folder (mkdtemp "pipescope-fifo-XXXXXX" in
    /// $TMPDIR or /tmp, made after the gate so a run cancelled there leaves nothing).
    /// Returns the FIFO's path, empty on failure. The runner removes the FIFO and its
    /// folder at the end of the run if the scenario could not (killed, cancelled).
    std::string makePrivateFifo(std::string_view name);
    /// open(path, flags); a FIFO's fd is tracked like a pipe end (same counters).
    int open(const std::string &path, int flags);
    /// socketpair(AF_UNIX, type, 0): each end's reads and writes are counted on its own.
    SocketEnds socketpair(int type);
    /// fcntl(F_SETPIPE_SZ); returns the capacity the kernel chose, or -1.
    long setPipeSize(int fd, long bytes);
    /// Forks; the child registers under childRole, runs body and exits with its result.
    pid_t fork(std::string_view childRole, const std::function<int(Tracee &)> &body);
    ssize_t write(int fd, const void *data, std::size_t size);
    ssize_t read(int fd, void *data, std::size_t size);
    int close(int fd);
    int dup2(int oldFd, int newFd);
    /// select() for readability over fds; ready receives the fds reported readable.
    int select(const std::vector<int> &fds, int timeoutMs, std::vector<int> *ready);
    pid_t waitpid(pid_t pid, int *status, int options = 0);
    /// execvp(argv); on failure reports errno through errorFd (a close-on-exec
    /// pipe the parent reads: EOF there means exec succeeded) and exits 127.
    [[noreturn]] void exec(const std::vector<std::string> &argv, int errorFd);
    void sleepMs(int ms);
    void note(std::string_view text);
    [[noreturn]] void exit(int code);

    /// Writes all of data (loops on partial writes); false on error.
    bool writeAll(int fd, const void *data, std::size_t size);

    static std::int64_t nowNs();
    static void preview(const void *data, std::size_t size, Event &event);

private:
    /// watched: select's fds, so a held select says which pipes it is about to look at.
    void gate(EventKind kind, int fd, std::int64_t requested,
        const std::array<std::uint64_t, Event::kMaxFd / 64> *watched = nullptr);
    void emit(Event &event);
    bool detailed();
    int pipeSlot(int fd) const;
    void track(int fd, int slot, std::uint64_t inode);
    Event makeEvent(EventKind kind, int fd) const;

    SharedState *m_shared;
    int m_eventFd;
    int m_slot;
    pid_t m_pid;
    std::string m_role;
    int m_dataEventsLeft = kFreeRunDataEvents;
    static constexpr int kMaxTrackedFd = 1024;
    std::array<std::int16_t, kMaxTrackedFd> m_fdPipe; ///< fd -> shared pipe slot, -1 when not a pipe
    std::array<std::uint64_t, kMaxTrackedFd> m_fdInode;
};

} // namespace pipescope
