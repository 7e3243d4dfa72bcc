#include "core/export/eventjson.h"

#include "core/export/jsonwriter.h"
#include "core/model/eventformat.h"

namespace pipescope
{

namespace
{

std::string fdList(const Event &e, bool ready)
{
    std::string out = "[";
    for (int fd = 0; fd < Event::kMaxFd; ++fd) {
        if (Event::bit(ready ? e.ready : e.watched, fd)) {
            if (out.size() > 1)
                out += ',';
            out += std::to_string(fd);
        }
    }
    return out + ']';
}

} // namespace

std::string EventJson::toJson(const Event &e, std::int64_t startNs, std::string_view role, ChannelKind channel)
{
    JsonWriter o;
    o.add("seq", static_cast<std::int64_t>(e.seq));
    o.add("t_ns", startNs > 0 ? e.timeNs - startNs : e.timeNs);
    if (e.startNs > 0 && startNs > 0)
        o.add("start_ns", e.startNs - startNs);
    o.add("kind", eventKindName(e.kind));
    o.add("pid", static_cast<std::int64_t>(e.pid));
    if (!role.empty())
        o.add("role", role);
    if (e.fd >= 0)
        o.add("fd", e.fd);
    if (e.fd2 >= 0)
        o.add("fd2", e.fd2);
    if (e.inode)
        o.add("inode", static_cast<std::int64_t>(e.inode));
    if (e.kind == EventKind::SocketPair && e.inode2)
        o.add("inode2", static_cast<std::int64_t>(e.inode2));
    if (e.otherPid)
        o.add("other_pid", static_cast<std::int64_t>(e.otherPid));
    o.add("requested", static_cast<std::int64_t>(e.requested));
    o.add("result", static_cast<std::int64_t>(e.result));
    if (e.err) {
        o.add("errno", e.err);
        o.add("errno_name", EventFormat::errnoName(e.err));
    }
    if (e.kind == EventKind::Wait || e.kind == EventKind::Exited || e.kind == EventKind::Reaped)
        o.add("status", EventFormat::waitStatus(e.status));
    if (e.kind == EventKind::RunFinished || e.kind == EventKind::PipeCreated || e.kind == EventKind::Open
        || e.kind == EventKind::SocketPair)
        o.add("code", e.status); // the flags (open) or type (socketpair) given
    if (e.kind == EventKind::GateWait)
        o.add("pending", eventKindName(e.pending));
    if (e.kind == EventKind::Select) {
        o.addRaw("watched", fdList(e, false));
        o.addRaw("ready", fdList(e, true));
    }
    if (e.isEof())
        o.add("eof", true);
    if (e.isWouldBlock())
        o.add("would_block", true);
    if (e.isBrokenPipe())
        o.add("broken_pipe", true);
    if (e.text[0])
        o.add("text", e.textView());
    o.add("line", EventFormat::call(e, channel));
    return o.str();
}

} // namespace pipescope
