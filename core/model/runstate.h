#pragma once

#include "core/model/event.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pipescope
{

struct SharedState;

enum class ProcessState { Running, Held, Blocked, Exited, Reaped };
const char *processStateName(ProcessState state);

/// What carries the bytes: an anonymous pipe (pipe2), a named pipe (mkfifo, opened
/// by path: the same kind of kernel pipe), or a socket pair (two ends, each both reads and writes).
enum class ChannelKind { Pipe, Fifo, Socket };
/// "pipe", "fifo", "socket pair".
const char *channelKindName(ChannelKind kind);

/// One pipe end in a process's fd table, as the events tell it.
struct PipeEndRef {
    std::uint64_t inode = 0;
    bool writeEnd = false;
    bool closeOnExec = false;
    bool nonBlocking = false;
    bool socket = false; ///< an end of a socket pair: it reads and writes (writeEnd stays false)
    /// Held across an exec (not close-on-exec): the program now running did not make it
    /// and, above fd 2, does not know it is there.
    bool acrossExec = false;
};

struct ProcessInfo {
    pid_t pid = 0;
    pid_t parent = 0;
    int index = 0; ///< order of appearance in the run
    std::string role;
    ProcessState state = ProcessState::Running;
    std::string detail; ///< what it is held before or blocked in
    bool external = false; ///< exec'd a program nobody could trace: its own syscalls run free, unobserved
    std::string program; ///< argv of the exec'd program
    bool namedByProgram = false; ///< forked by a traced program: each exec renames it (role = program name)
    int status = 0; ///< raw wait status once exited
    std::int64_t bytesIn = 0;
    std::int64_t bytesOut = 0;
    std::map<int, PipeEndRef> fds;
    /// Asleep in the kernel on purpose (nanosleep), not waiting on a pipe or a process.
    bool sleeping() const { return state == ProcessState::Blocked && detail.find("nanosleep") != std::string::npos; }
};

struct PipeInfo {
    std::uint64_t inode = 0; ///< a socket pair's first end (fd of socketpair's sv[0])
    int index = 0;
    ChannelKind kind = ChannelKind::Pipe;
    std::string path; ///< a FIFO's name in the file system
    /// A socket pair: its second end's inode, and the bytes that went the other way
    /// (written into the second end, read from the first). written / read above count
    /// the first end to the second.
    std::uint64_t inode2 = 0;
    std::int64_t written2 = 0;
    std::int64_t read2 = 0;
    std::int64_t writes2 = 0;
    std::int64_t reads2 = 0;
    bool eofSeen2 = false; ///< the first end read EOF (the second end was closed)
    bool isSocket() const { return kind == ChannelKind::Socket; }
    /// True when inode names this channel (either end of a socket pair).
    bool has(std::uint64_t ino) const { return ino != 0 && (ino == inode || ino == inode2); }
    /// The side an end is drawn on: a pipe's write end, or a socket pair's first end (whose
    /// holders face its second end's holders as a pipe's writers face its readers).
    bool writeSide(std::uint64_t endInode, bool writeEnd) const { return isSocket() ? endInode == inode : writeEnd; }
    pid_t creator = 0;
    std::int64_t capacity = 0;
    std::int64_t written = 0;
    std::int64_t read = 0;
    std::int64_t writes = 0;
    std::int64_t reads = 0;
    std::int64_t maxFill = 0;
    bool eofSeen = false;
    /// An exec'd program holds a read (write) end: its reads (writes) run free
    /// and are not counted, so read (written) and the fill are lower bounds.
    bool externalReader = false;
    bool externalWriter = false;
    /// What the pipe is for when it is not the lesson's data path ("start signal"), else empty.
    std::string purpose;
    /// What FIONREAD said when a writer was last seen blocked on this pipe (-1: never), and the
    /// counters then. A blocked write has already put part of its bytes into the pipe, which the
    /// counters learn only when it returns: until they move, the measured fill is the truth.
    std::int64_t measuredFill = -1;
    std::int64_t measuredWritten = 0;
    std::int64_t measuredRead = 0;
    pid_t measuredBy = 0; ///< the blocked writer; the measurement holds only while it sleeps
    /// Counted fill (written - read), or the measured one while it is newer and larger.
    std::int64_t inBuffer() const
    {
        const std::int64_t counted = written > read ? written - read : 0;
        const bool fresh = measuredFill >= 0 && written == measuredWritten && read == measuredRead;
        return fresh && measuredFill > counted ? measuredFill : counted;
    }
    /// True while inBuffer() is FIONREAD's answer rather than the counters' difference.
    bool fillMeasured() const
    {
        return measuredFill >= 0 && written == measuredWritten && read == measuredRead
            && measuredFill > (written > read ? written - read : 0);
    }
};

/// The run as the events describe it: processes, their pipe ends, and the
/// pipes with their counters. It folds events in order; with the live shared
/// counters applied on top, byte counts are exact even at full speed, where
/// most data syscalls are counted rather than logged.
class RunState
{
public:
    void apply(const Event &event);
    void applyCounters(const SharedState &shared);
    /// Exec'd programs are traced too (pipescope-cli trace): their calls come
    /// as events like any other, so no process runs free and no count is a lower bound.
    void setExecsTraced(bool traced) { m_execsTraced = traced; }

    /// Seen from outside (a watched pipeline, from /proc; no event tells these):
    /// pid runs `program` now, holds exactly these pipe ends, and has read and
    /// written these many bytes through any fd. Returns true when its pipe ends changed.
    /// Ignored for a process the events have not introduced, or one that exited.
    bool observeProcess(pid_t pid, const std::string &program, const std::map<int, PipeEndRef> &fds,
        std::int64_t bytesIn, std::int64_t bytesOut);
    /// Seen from outside: a pipe's buffer size and the bytes written into it and
    /// read out of it so far (what is in it now is the difference).
    void observePipe(std::uint64_t inode, std::int64_t capacity, std::int64_t written, std::int64_t read);
    /// Names pid by what it runs now (a traced child that exec'd cat is "cat", not its
    /// parent's name): the role its node shows. Ignored for a process the events have not introduced.
    void nameProcess(pid_t pid, const std::string &name);

    const std::vector<ProcessInfo> &processes() const { return m_processes; }
    const std::vector<PipeInfo> &pipes() const { return m_pipes; }
    const ProcessInfo *process(pid_t pid) const;
    /// The pipe, FIFO or socket pair inode belongs to (a socket pair by either end's inode).
    const PipeInfo *pipe(std::uint64_t inode) const;
    /// Write (or read) ends of a pipe still open in processes that have not exited.
    int openEnds(std::uint64_t inode, bool writeEnd) const;

    std::int64_t startNs() const { return m_startNs; }
    bool finished() const { return m_finished; }
    int outcome() const { return m_outcome; }
    std::uint64_t eventCount() const { return m_eventCount; }

private:
    ProcessInfo &ensureProcess(pid_t pid, pid_t parent, const std::string &role);
    PipeInfo &ensurePipe(std::uint64_t inode);
    void forgetMeasurements(pid_t writer);
    ProcessInfo *find(pid_t pid);

    std::vector<ProcessInfo> m_processes;
    std::vector<PipeInfo> m_pipes;
    std::int64_t m_startNs = 0;
    bool m_finished = false;
    int m_outcome = -1;
    std::uint64_t m_eventCount = 0;
    bool m_execsTraced = false;
};

} // namespace pipescope
