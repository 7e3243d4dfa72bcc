#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace pipescope
{

class RunState;
struct SharedState;

/// The live counters at one moment (a sample line of a recording): at full
/// speed most reads and writes are counted in shared memory, not sent as
/// events, so a recording keeps these samples instead of every call.
struct CounterSample {
    struct Pipe {
        std::uint64_t inode = 0;
        std::int64_t capacity = 0;
        std::int64_t written = 0;
        std::int64_t read = 0;
        std::int64_t writes = 0;
        std::int64_t reads = 0;
        std::int64_t maxFill = 0;
        bool eof = false;
        bool operator==(const Pipe &) const = default;
    };
    struct Process {
        pid_t pid = 0;
        std::int64_t bytesIn = 0;
        std::int64_t bytesOut = 0;
        bool operator==(const Process &) const = default;
    };

    std::int64_t timeNs = 0; ///< CLOCK_MONOTONIC when taken
    std::vector<Pipe> pipes;
    std::vector<Process> processes;

    /// The shared counters of a live run as they are now.
    static CounterSample fromShared(const SharedState &shared, std::int64_t timeNs);
    /// The counters a RunState holds (the GUI saves the run it shows).
    static CounterSample fromState(const RunState &state, std::int64_t timeNs);
    /// Puts these counters into shared (zeroed first), so RunState::applyCounters folds them in
    /// exactly as it folds a live run's.
    void fill(SharedState &shared) const;
    /// Same counters, whenever taken.
    bool sameCounters(const CounterSample &other) const { return pipes == other.pipes && processes == other.processes; }
    /// One JSON object, no newline; t_ns relative to startNs when it is set.
    std::string toJson(std::int64_t startNs) const;
};

} // namespace pipescope
