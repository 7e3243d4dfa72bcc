#include "core/watch/bottleneckfinder.h"

#include <algorithm>
#include <cmath>

namespace pipescope
{

namespace
{

std::string percent(double f)
{
    return std::to_string(static_cast<int>(std::lround(f * 100))) + "%";
}

} // namespace

std::string Bottleneck::text() const
{
    std::string out = name + " (running " + percent(running) + " of the time";
    if (inputFull >= 0)
        out += ", its input pipe full " + percent(inputFull);
    if (outputEmpty >= 0)
        out += ", its output pipe empty " + percent(outputEmpty);
    return out + ")";
}

void BottleneckFinder::add(const WatchSample &sample)
{
    m_seq = sample.seq;
    for (const WatchedProcess &p : sample.processes) {
        if (p.exited() || p.ends.empty())
            continue;
        Mark m;
        m.running = p.state == WatchState::Running;
        for (const WatchedEnd &e : p.ends) {
            // Its input and output pipe when known: a stray pipe end inherited from
            // a shell or make says nothing of where its data comes from or goes.
            const std::uint64_t known = e.writeEnd ? p.outPipe : p.inPipe;
            if (known && e.inode != known)
                continue;
            const WatchedPipe *pipe = sample.pipe(e.inode);
            if (!pipe)
                continue;
            // Judge only pipes with a watched process at the far end: a
            // terminal or the caller's pipe at the edge says nothing of the stages.
            const bool inner = e.writeEnd ? !pipe->readers.empty() && pipe->readers != std::vector<pid_t> {p.pid}
                                          : !pipe->writers.empty() && pipe->writers != std::vector<pid_t> {p.pid};
            if (!inner)
                continue;
            // Its reader waiting in read on the empty pipe, not merely an empty pipe: a reader
            // that drains a fast writer's pipe while it runs flat out is not starved by it, and
            // a source stage (no input pipe) must not win on that alone.
            if (e.writeEnd)
                m.outputEmpty = std::max<signed char>(m.outputEmpty, pipe->readerBlocked ? 1 : 0);
            else
                m.inputFull = std::max<signed char>(m.inputFull, pipe->full() ? 1 : 0);
        }
        if (m.inputFull < 0 && m.outputEmpty < 0)
            continue; // not a stage of a pipeline
        History &h = m_history[p.pid];
        h.name = p.name;
        h.lastSeq = sample.seq;
        h.marks.push_back(m);
        while (h.marks.size() > m_window)
            h.marks.pop_front();
    }
    // Forget stages that have not been seen for a whole window.
    std::erase_if(m_history, [&](const auto &kv) { return sample.seq - kv.second.lastSeq > m_window; });
}

std::vector<Bottleneck> BottleneckFinder::stages() const
{
    std::vector<Bottleneck> out;
    for (const auto &[pid, h] : m_history) {
        Bottleneck b;
        b.pid = pid;
        b.name = h.name;
        b.samples = static_cast<int>(h.marks.size());
        int running = 0, inFull = 0, inSeen = 0, outEmpty = 0, outSeen = 0;
        for (const Mark &m : h.marks) {
            running += m.running;
            if (m.inputFull >= 0) {
                ++inSeen;
                inFull += m.inputFull;
            }
            if (m.outputEmpty >= 0) {
                ++outSeen;
                outEmpty += m.outputEmpty;
            }
        }
        if (b.samples == 0)
            continue;
        b.running = static_cast<double>(running) / b.samples;
        if (inSeen)
            b.inputFull = static_cast<double>(inFull) / inSeen;
        if (outSeen)
            b.outputEmpty = static_cast<double>(outEmpty) / outSeen;
        const double pressure = (inSeen && outSeen) ? (b.inputFull + b.outputEmpty) / 2
            : inSeen                                ? b.inputFull
                                                    : b.outputEmpty;
        b.score = b.running * pressure;
        out.push_back(b);
    }
    return out;
}

std::optional<Bottleneck> BottleneckFinder::find(int minSamples) const
{
    std::optional<Bottleneck> best;
    for (const Bottleneck &b : stages()) {
        if (b.samples < minSamples || b.running < 0.5 || b.score < 0.5 * b.running)
            continue;
        if (!best || b.score > best->score)
            best = b;
    }
    return best;
}

} // namespace pipescope
