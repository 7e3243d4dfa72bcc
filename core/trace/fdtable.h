#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

namespace pipescope
{

/// What one file descriptor of a traced process refers to.
struct FdTarget {
    enum class Kind { Pipe, Socket, Other };
    Kind kind = Kind::Other;
    std::uint64_t inode = 0; ///< the pipe's (or socket's) inode
    bool isPipe() const { return kind == Kind::Pipe; }
};

/// One traced process's fd table as far as pipes go: fd -> what it is. The
/// tracer updates it on every call that makes, copies or drops an fd (pipe,
/// dup, fcntl(F_DUPFD), close, close_range, fork, exec); an fd it has not seen
/// yet (opened by an untraced call such as open) is looked up once in
/// /proc/PID/fd, which is safe because every call that could free that number
/// again is traced.
class FdTable
{
public:
    /// What fd refers to in process pid, from the table or from /proc.
    FdTarget lookup(pid_t pid, int fd);
    /// The target as /proc/PID/fd/FD says now (no caching); a FIFO (its link is its
    /// name) is a pipe with its inode.
    static FdTarget probe(pid_t pid, int fd);
    /// Forgets everything and reads the whole table from /proc/PID/fd (after exec).
    void reload(pid_t pid);
    void set(int fd, const FdTarget &target) { m_fds[fd] = target; }
    void erase(int fd) { m_fds.erase(fd); }
    const std::map<int, FdTarget> &entries() const { return m_fds; }
    /// F_GETPIPE_SZ of a pipe end of another process (through pidfd_getfd, a
    /// second reference to the same open file: no reader or writer is added); 0 when unknown.
    static std::int64_t pipeCapacity(pid_t pid, int fd);
    /// The pipe fds of before that this table no longer has (or has as
    /// another pipe): what an exec's close-on-exec dropped, after a reload.
    std::map<int, FdTarget> droppedPipes(const FdTable &before) const;
    /// Parses a /proc/PID/fd link text such as "pipe:[1234]".
    static FdTarget parseLink(const std::string &link);

private:
    std::map<int, FdTarget> m_fds;
};

} // namespace pipescope
