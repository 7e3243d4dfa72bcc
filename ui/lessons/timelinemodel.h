#pragma once

#include "core/model/event.h"
#include "core/model/runstate.h"

#include <QString>

#include <cstdint>
#include <map>
#include <vector>

namespace pipescope
{

/// A sequence diagram of a run, as plain data (no widgets): a lane per
/// process with its state over time, and an arrow for each part of a write
/// that a read consumed. Writes and reads are matched by byte offset per pipe
/// inode: a pipe is a FIFO, so the k-th byte read is the k-th byte written.
/// Times are nanoseconds since the run started. Event indexes count every
/// event fed, in order (the event log's rows).
class TimelineModel
{
public:
    struct Interval {
        ProcessState state = ProcessState::Running;
        std::int64_t startNs = 0;
        std::int64_t endNs = -1; ///< -1 while it lasts
        int eventIndex = -1; ///< the event that began it
        QString detail; ///< "about to write", "blocked in read(3): pipe empty ..."
    };
    struct Lane {
        int pid = 0;
        QString role;
        std::vector<Interval> intervals;
        bool ended = false; ///< reaped: the lane stops
    };
    /// `bytes` bytes of one write, consumed by one read. Arrows come in the order
    /// both ends were known, not necessarily by offset.
    struct Arrow {
        int writeEvent = -1;
        int readEvent = -1;
        int fromPid = 0;
        int toPid = 0;
        std::uint64_t inode = 0;
        std::int64_t offset = 0; ///< of these bytes in the pipe's stream
        std::int64_t bytes = 0;
        std::int64_t writeNs = 0;
        std::int64_t readNs = 0;
    };
    /// What the events tell about one pipe's bytes.
    struct PipeBytes {
        std::int64_t writtenLogged = 0;
        std::int64_t readLogged = 0;
        std::int64_t attributed = 0; ///< read bytes matched to a write
        /// Some writes or reads were counted but not logged (full speed) or made by
        /// an exec'd program: from then on this pipe's bytes are not matched.
        bool incomplete = false;
    };

    void clear();
    /// Folds one event in (events must come in arrival order).
    void add(const Event &event);
    void add(const std::vector<Event> &events);

    const std::vector<Lane> &lanes() const { return m_lanes; }
    const std::vector<Arrow> &arrows() const { return m_arrows; }
    const std::map<std::uint64_t, PipeBytes> &pipes() const { return m_pipes; }
    /// Index of the lane of pid, -1 when unknown.
    int laneOf(int pid) const;
    /// Time of the last event (the end of open intervals).
    std::int64_t endNs() const { return m_endNs; }
    int eventCount() const { return m_count; }

private:
    /// A write's or a read's bytes in the pipe's stream.
    struct Span {
        int event;
        int pid;
        std::int64_t from;
        std::int64_t to;
        std::int64_t timeNs;
    };
    /// A reader can report before the writer whose bytes it got (each emits
    /// after its own call returns), so either side may wait for the other.
    struct Stream {
        std::int64_t writeOffset = 0;
        std::int64_t readOffset = 0;
        std::vector<Span> writes; ///< not yet covered by the reads seen
        std::vector<Span> reads; ///< not yet covered by the writes seen
    };

    Lane &lane(int pid, const QString &role);
    void setState(int pid, ProcessState state, std::int64_t t, int index, const QString &detail);
    void endLane(int pid, std::int64_t t);
    void renameAfterExec(const Event &e);
    void markIncomplete(int pid);
    void match(const Event &e, int index, std::int64_t t);
    void link(const Span &write, const Span &read, std::uint64_t inode);
    std::int64_t rel(std::int64_t ns) const;

    std::vector<Lane> m_lanes;
    std::vector<Arrow> m_arrows;
    std::map<std::uint64_t, PipeBytes> m_pipes;
    std::map<std::uint64_t, Stream> m_streams;
    RunState m_state; ///< who holds which end, for ends that go unobserved
    std::int64_t m_startNs = 0;
    std::int64_t m_endNs = 0;
    int m_count = 0;
};

} // namespace pipescope
