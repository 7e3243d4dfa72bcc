#include "eventjson.h"

#include "eventformat.h"

#include <QJsonArray>

namespace pipescope
{

namespace
{

QJsonArray fdList(const Event &e, bool ready)
{
    QJsonArray out;
    for (int fd = 0; fd < Event::kMaxFd; ++fd) {
        if (Event::bit(ready ? e.ready : e.watched, fd))
            out.append(fd);
    }
    return out;
}

} // namespace

QJsonObject EventJson::toJson(const Event &e, qint64 startNs, const QString &role)
{
    QJsonObject o;
    o[QStringLiteral("seq")] = static_cast<qint64>(e.seq);
    o[QStringLiteral("t_ns")] = startNs > 0 ? e.timeNs - startNs : e.timeNs;
    if (e.startNs > 0 && startNs > 0)
        o[QStringLiteral("start_ns")] = e.startNs - startNs;
    o[QStringLiteral("kind")] = QString::fromLatin1(eventKindName(e.kind));
    o[QStringLiteral("pid")] = e.pid;
    if (!role.isEmpty())
        o[QStringLiteral("role")] = role;
    if (e.fd >= 0)
        o[QStringLiteral("fd")] = e.fd;
    if (e.fd2 >= 0)
        o[QStringLiteral("fd2")] = e.fd2;
    if (e.inode)
        o[QStringLiteral("inode")] = static_cast<qint64>(e.inode);
    if (e.otherPid)
        o[QStringLiteral("other_pid")] = e.otherPid;
    o[QStringLiteral("requested")] = static_cast<qint64>(e.requested);
    o[QStringLiteral("result")] = static_cast<qint64>(e.result);
    if (e.err) {
        o[QStringLiteral("errno")] = e.err;
        o[QStringLiteral("errno_name")] = QString::fromStdString(EventFormat::errnoName(e.err));
    }
    if (e.kind == EventKind::Wait || e.kind == EventKind::Exited || e.kind == EventKind::Reaped)
        o[QStringLiteral("status")] = QString::fromStdString(EventFormat::waitStatus(e.status));
    if (e.kind == EventKind::RunFinished || e.kind == EventKind::PipeCreated)
        o[QStringLiteral("code")] = e.status;
    if (e.kind == EventKind::GateWait)
        o[QStringLiteral("pending")] = QString::fromLatin1(eventKindName(e.pending));
    if (e.kind == EventKind::Select) {
        o[QStringLiteral("watched")] = fdList(e, false);
        o[QStringLiteral("ready")] = fdList(e, true);
    }
    if (e.isEof())
        o[QStringLiteral("eof")] = true;
    if (e.isWouldBlock())
        o[QStringLiteral("would_block")] = true;
    if (e.isBrokenPipe())
        o[QStringLiteral("broken_pipe")] = true;
    if (e.text[0])
        o[QStringLiteral("text")] = QString::fromUtf8(e.textView().data(), static_cast<qsizetype>(e.textView().size()));
    o[QStringLiteral("line")] = QString::fromStdString(EventFormat::call(e));
    return o;
}

} // namespace pipescope
