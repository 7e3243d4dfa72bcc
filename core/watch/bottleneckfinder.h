#pragma once

#include "core/watch/watchsample.h"

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>

namespace pipescope
{

/// The stage that holds a pipeline back, from states sampled over a window.
struct Bottleneck {
    pid_t pid = 0;
    std::string name;
    int samples = 0; ///< samples in the window that saw it alive
    double running = 0; ///< fraction of them in which it was running
    double inputFull = -1; ///< fraction in which its input pipe was full; -1: it reads no pipe
    double outputEmpty = -1; ///< fraction in which its output pipe was empty; -1: it writes no pipe
    double score = 0; ///< running x mean(inputFull, outputEmpty)

    /// "gzip (running 98% of the time, its input pipe full 97%, its output pipe empty 95%)"
    std::string text() const;
};

/// Names the bottleneck of a pipeline: the stage that is running while the
/// process writing to it is blocked on a full pipe and the process reading
/// from it waits on an empty one. A stage that only reads or only writes a
/// pipe (the first or last) is judged on the side it has.
class BottleneckFinder
{
public:
    /// window: how many recent samples to judge by.
    explicit BottleneckFinder(std::size_t window = 25) : m_window(window) { }

    void add(const WatchSample &sample);
    /// The stage with the highest score, when it runs at least half the time
    /// and its pipes show the pressure at least half the time; nothing before
    /// `minSamples` samples saw it.
    std::optional<Bottleneck> find(int minSamples = 3) const;
    /// Every stage's numbers, as find() judges them.
    std::vector<Bottleneck> stages() const;

private:
    struct Mark {
        bool running = false;
        signed char inputFull = -1; ///< -1 no input pipe, 0 or 1
        signed char outputEmpty = -1;
    };
    struct History {
        std::string name;
        std::deque<Mark> marks;
        std::uint64_t lastSeq = 0;
    };

    std::size_t m_window;
    std::uint64_t m_seq = 0;
    std::map<pid_t, History> m_history;
};

} // namespace pipescope
