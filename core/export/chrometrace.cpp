#include "core/export/chrometrace.h"

#include "core/export/jsonwriter.h"
#include "core/model/eventformat.h"
#include "core/model/runstate.h"

#include <algorithm>

namespace pipescope
{

void ChromeTrace::append(const std::string &object)
{
    if (!m_events.empty())
        m_events += ',';
    m_events += object;
}

void ChromeTrace::nameLane(const Event &e, const RunState &state)
{
    if (!m_named.insert(e.pid).second)
        return;
    const ProcessInfo *p = state.process(e.pid);
    const std::string role = p ? p->role : std::string("runner");
    append(JsonWriter()
               .add("name", "thread_name")
               .add("ph", "M")
               .add("pid", m_runnerPid)
               .add("tid", static_cast<std::int64_t>(e.pid))
               .addRaw("args", JsonWriter().add("name", role + " (pid " + std::to_string(e.pid) + ")").str())
               .str());
}

void ChromeTrace::add(const Event &e, const RunState &state)
{
    if (e.kind == EventKind::RunStarted) {
        m_startNs = e.timeNs;
        m_runnerPid = e.pid;
        append(JsonWriter()
                   .add("name", "process_name")
                   .add("ph", "M")
                   .add("pid", static_cast<std::int64_t>(e.pid))
                   .addRaw("args", JsonWriter().add("name", "PipeScope: " + std::string(e.textView())).str())
                   .str());
    }
    if (e.kind == EventKind::ProcessStarted || e.kind == EventKind::RunStarted)
        return;
    nameLane(e, state);
    const double ts = static_cast<double>(e.timeNs - m_startNs) / 1000.0;
    const std::string args = JsonWriter().add("call", EventFormat::call(e, EventFormat::channelOf(e, state))).str();
    JsonWriter slice;
    slice.add("name", eventKindName(e.kind));
    if (e.startNs > 0) { // a syscall: a slice with its real duration
        const double start = static_cast<double>(e.startNs - m_startNs) / 1000.0;
        slice.add("cat", "syscall").add("ph", "X").add("ts", start).add("dur", std::max(0.0, ts - start));
    } else { // seen from outside: an instant
        slice.add("cat", "observed").add("ph", "i").add("s", "t").add("ts", ts);
    }
    append(slice.add("pid", m_runnerPid).add("tid", static_cast<std::int64_t>(e.pid)).addRaw("args", args).str());

    const bool moved = (e.kind == EventKind::Write || e.kind == EventKind::Read) && e.result > 0 && e.inode;
    if (moved || e.kind == EventKind::PipeCreated) {
        // A socket pair queues each direction apart: a read on one end takes what the other end wrote.
        const PipeInfo *channel = state.pipe(e.inode);
        const bool socket = channel && channel->isSocket();
        const std::uint64_t sender = socket && e.kind == EventKind::Read
            ? (e.inode == channel->inode ? channel->inode2 : channel->inode)
            : e.inode;
        std::int64_t &fill = m_fill[sender];
        if (e.kind == EventKind::Write)
            fill += e.result;
        else if (e.kind == EventKind::Read)
            fill = std::max<std::int64_t>(0, fill - e.result);
        append(JsonWriter()
                   .add("name",
                       socket ? "bytes sent by socket:[" + std::to_string(sender) + "]"
                              : "bytes in pipe:[" + std::to_string(e.inode) + "]")
                   .add("ph", "C")
                   .add("ts", ts)
                   .add("pid", m_runnerPid)
                   .addRaw("args", JsonWriter().add("bytes", fill).str())
                   .str());
    }
}

std::string ChromeTrace::toJson() const
{
    return JsonWriter()
        .addRaw("traceEvents", "[" + m_events + "]")
        .add("displayTimeUnit", "ms")
        .addRaw("otherData",
            JsonWriter()
                .add("generator", "PipeScope")
                .add("note",
                    "pipe counters are derived from logged reads and writes; at full speed most data syscalls "
                    "are counted, not logged")
                .str())
        .str();
}

} // namespace pipescope
