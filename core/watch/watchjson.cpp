#include "core/watch/watchjson.h"

#include "core/export/jsonwriter.h"

namespace pipescope
{

namespace
{

template<typename T, typename F>
std::string array(const std::vector<T> &items, F toJson)
{
    std::string out = "[";
    for (const T &item : items)
        out += (out.size() > 1 ? "," : "") + toJson(item);
    return out + "]";
}

std::string pids(const std::vector<pid_t> &list)
{
    return array(list, [](pid_t pid) { return std::to_string(pid); });
}

} // namespace

std::string WatchJson::process(const WatchedProcess &p)
{
    JsonWriter w;
    w.add("pid", p.pid).add("ppid", p.ppid).add("name", p.name).add("state", watchStateName(p.state));
    if (!p.wchan.empty())
        w.add("wchan", p.wchan);
    w.add("rchar", static_cast<std::int64_t>(p.rchar)).add("wchar", static_cast<std::int64_t>(p.wchar));
    w.add("counts_final", p.countsFinal).add("counts_slack", static_cast<std::int64_t>(p.countsSlack));
    if (p.exited())
        w.add("exit_status", p.statusKnown ? p.exitStatus : -1);
    w.addRaw("ends", array(p.ends, [](const WatchedEnd &e) {
        return JsonWriter()
            .add("inode", static_cast<std::int64_t>(e.inode))
            .add("fd", e.fd)
            .add("end", e.writeEnd ? "write" : "read")
            .str();
    }));
    return w.str();
}

std::string WatchJson::pipe(const WatchedPipe &p)
{
    JsonWriter w;
    w.add("inode", static_cast<std::int64_t>(p.inode)).add("from", p.from).add("to", p.to);
    w.addRaw("writers", pids(p.writers)).addRaw("readers", pids(p.readers)).add("open", p.open);
    w.add("bytes", static_cast<std::int64_t>(p.bytes)).add("basis", byteBasisName(p.basis));
    w.add("bytes_final", p.bytesFinal).add("bytes_slack", static_cast<std::int64_t>(p.bytesSlack));
    w.add("bytes_assumed", p.bytesAssumed);
    w.add("bytes_in", p.inKnown ? static_cast<std::int64_t>(p.bytesIn) : std::int64_t(-1));
    w.add("bytes_out", p.outKnown ? static_cast<std::int64_t>(p.bytesOut) : std::int64_t(-1));
    w.add("rate", p.rate).add("fill", p.fill).add("capacity", p.capacity);
    w.add("writer_blocked", p.writerBlocked).add("reader_blocked", p.readerBlocked);
    w.add("full", p.full()).add("empty", p.empty());
    return w.str();
}

std::string WatchJson::bottleneck(const Bottleneck &b)
{
    JsonWriter w;
    w.add("pid", b.pid).add("name", b.name).add("samples", b.samples).add("running", b.running);
    w.add("input_full", b.inputFull).add("output_empty", b.outputEmpty).add("text", b.text());
    return w.str();
}

std::string WatchJson::sample(const WatchSample &s, std::int64_t startNs, const std::optional<Bottleneck> &b)
{
    JsonWriter w;
    w.add("type", "sample").add("seq", static_cast<std::int64_t>(s.seq));
    w.add("t", static_cast<double>(s.timeNs - startNs) / 1e9).add("cost_ms", static_cast<double>(s.costNs) / 1e6);
    w.addRaw("processes", array(s.processes, &WatchJson::process));
    w.addRaw("pipes", array(s.pipes, &WatchJson::pipe));
    if (b)
        w.addRaw("bottleneck", bottleneck(*b));
    return w.str();
}

std::string WatchJson::summary(const std::vector<WatchedProcess> &processes, const std::vector<WatchedPipe> &pipes,
    const std::optional<Bottleneck> &b, double seconds, int commandStatus, double watcherCpuSeconds,
    bool exitRecordsLost)
{
    JsonWriter w;
    w.add("type", "summary").add("seconds", seconds).add("command_status", commandStatus);
    w.addRaw("processes", array(processes, &WatchJson::process));
    w.addRaw("pipes", array(pipes, &WatchJson::pipe));
    if (b)
        w.addRaw("bottleneck", bottleneck(*b));
    if (watcherCpuSeconds >= 0)
        w.add("watcher_cpu_s", watcherCpuSeconds);
    if (exitRecordsLost)
        w.add("exit_records_lost", true);
    return w.str();
}

} // namespace pipescope
