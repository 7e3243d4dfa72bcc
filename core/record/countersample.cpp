#include "core/record/countersample.h"

#include "core/export/jsonwriter.h"
#include "core/model/runstate.h"
#include "core/model/sharedstate.h"

#include <algorithm>

namespace pipescope
{

CounterSample CounterSample::fromShared(const SharedState &shared, std::int64_t timeNs)
{
    CounterSample s;
    s.timeNs = timeNs;
    const int pipes = std::min(shared.pipeCount.load(), SharedState::kMaxPipes);
    for (int i = 0; i < pipes; ++i) {
        const SharedPipe &p = shared.pipes[i];
        const std::uint64_t inode = p.inode.load(std::memory_order_acquire);
        if (inode == 0)
            continue;
        s.pipes.push_back({inode, p.capacity.load(std::memory_order_relaxed), p.written.load(std::memory_order_relaxed),
            p.read.load(std::memory_order_relaxed), p.writes.load(std::memory_order_relaxed),
            p.reads.load(std::memory_order_relaxed), p.maxFill.load(std::memory_order_relaxed),
            p.eof.load(std::memory_order_relaxed) != 0});
    }
    const int processes = std::min(shared.processCount.load(), SharedState::kMaxProcesses);
    for (int i = 0; i < processes; ++i) {
        const SharedProcess &p = shared.processes[i];
        const pid_t pid = p.pid.load(std::memory_order_acquire);
        if (pid > 0)
            s.processes.push_back(
                {pid, p.bytesIn.load(std::memory_order_relaxed), p.bytesOut.load(std::memory_order_relaxed)});
    }
    return s;
}

CounterSample CounterSample::fromState(const RunState &state, std::int64_t timeNs)
{
    CounterSample s;
    s.timeNs = timeNs;
    for (const PipeInfo &p : state.pipes()) {
        if (p.isSocket()) {
            // As a run's shared slots count them: per end, what was written into it and read from it.
            s.pipes.push_back({p.inode, 0, p.written, p.read2, p.writes, p.reads2, 0, p.eofSeen2});
            s.pipes.push_back({p.inode2, 0, p.written2, p.read, p.writes2, p.reads, 0, p.eofSeen});
            continue;
        }
        s.pipes.push_back({p.inode, p.capacity, p.written, p.read, p.writes, p.reads, p.maxFill, p.eofSeen});
    }
    for (const ProcessInfo &p : state.processes())
        s.processes.push_back({p.pid, p.bytesIn, p.bytesOut});
    return s;
}

void CounterSample::fill(SharedState &shared) const
{
    // Only the slots counted below are read by applyCounters; the rest keep what they held.
    const int pipeCount = static_cast<int>(std::min<std::size_t>(pipes.size(), SharedState::kMaxPipes));
    for (int i = 0; i < pipeCount; ++i) {
        const Pipe &p = pipes[static_cast<std::size_t>(i)];
        SharedPipe &out = shared.pipes[i];
        out.inode.store(p.inode);
        out.capacity.store(p.capacity);
        out.written.store(p.written);
        out.read.store(p.read);
        out.writes.store(p.writes);
        out.reads.store(p.reads);
        out.maxFill.store(p.maxFill);
        out.eof.store(p.eof ? 1 : 0);
    }
    shared.pipeCount.store(pipeCount);
    const int processCount = static_cast<int>(std::min<std::size_t>(processes.size(), SharedState::kMaxProcesses));
    for (int i = 0; i < processCount; ++i) {
        const Process &p = processes[static_cast<std::size_t>(i)];
        SharedProcess &out = shared.processes[i];
        out.pid.store(p.pid);
        out.bytesIn.store(p.bytesIn);
        out.bytesOut.store(p.bytesOut);
    }
    shared.processCount.store(processCount);
}

std::string CounterSample::toJson(std::int64_t startNs) const
{
    std::string pipeList = "[";
    for (const Pipe &p : pipes) {
        JsonWriter o;
        o.add("inode", static_cast<std::int64_t>(p.inode)).add("capacity", p.capacity).add("written", p.written);
        o.add("read", p.read).add("writes", p.writes).add("reads", p.reads).add("max_fill", p.maxFill);
        o.add("eof", p.eof);
        pipeList += (pipeList.size() > 1 ? "," : "") + o.str();
    }
    std::string processList = "[";
    for (const Process &p : processes) {
        JsonWriter o;
        o.add("pid", static_cast<std::int64_t>(p.pid)).add("bytes_in", p.bytesIn).add("bytes_out", p.bytesOut);
        processList += (processList.size() > 1 ? "," : "") + o.str();
    }
    JsonWriter o;
    o.add("sample_t_ns", startNs > 0 ? timeNs - startNs : timeNs);
    o.addRaw("pipes", pipeList + "]").addRaw("processes", processList + "]");
    return o.str();
}

} // namespace pipescope
