#include "ui/source/eventjsonreader.h"

#include "core/model/eventformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <signal.h>
#include <string.h>

#include <limits>

namespace pipescope
{

namespace
{

// An integer as JSON wrote it (no fraction, no exponent), within [min, max].
std::optional<std::int64_t> integer(const QJsonValue &v, std::int64_t min, std::int64_t max)
{
    if (!v.isDouble() || v.toVariant().metaType().id() != QMetaType::LongLong)
        return std::nullopt;
    const qint64 n = v.toInteger();
    if (n < min || n > max)
        return std::nullopt;
    return n;
}

bool hasAny(const std::array<std::uint64_t, Event::kMaxFd / 64> &set)
{
    for (const std::uint64_t word : set)
        if (word)
            return true;
    return false;
}

} // namespace

std::optional<int> EventJsonReader::parseWaitStatus(const QString &text)
{
    bool ok = false;
    if (text == QLatin1String("exit status not seen"))
        return -1; // EventFormat::waitStatus(-1): the end was seen, not how
    if (text.startsWith(QLatin1String("exit "))) {
        const int code = text.mid(5).toInt(&ok);
        if (ok && code >= 0 && code <= 255 && text.mid(5) == QString::number(code))
            return code << 8;
        return std::nullopt;
    }
    if (text.startsWith(QLatin1String("killed by SIG"))) {
        const QString name = text.mid(13);
        for (int sig = 1; sig < NSIG; ++sig) {
            const char *abbrev = sigabbrev_np(sig);
            if (abbrev ? name == QLatin1String(abbrev) : name == QString::number(sig))
                return sig;
        }
        return std::nullopt;
    }
    if (text.startsWith(QLatin1String("status "))) {
        const int status = text.mid(7).toInt(&ok);
        if (ok && text.mid(7) == QString::number(status))
            return status;
    }
    return std::nullopt;
}

std::optional<Event> EventJsonReader::read(QByteArrayView line, QString *error, QString *role) const
{
    auto fail = [&](const QString &why) -> std::optional<Event> {
        if (!error)
            return std::nullopt;
        // A key or kind echoed back may hold control characters: shown as \xNN, the message stays one line.
        error->clear();
        for (const QChar c : why) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7F)
                *error += QStringLiteral("\\x")
                    + QString::number(c.unicode(), 16).toUpper().rightJustified(2, QLatin1Char('0'));
            else
                *error += c;
        }
        return std::nullopt;
    };
    QJsonParseError parse {};
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parse);
    if (parse.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not JSON: %1 at offset %2").arg(parse.errorString()).arg(parse.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();

    static const QSet<QString> known = {QStringLiteral("seq"), QStringLiteral("t_ns"), QStringLiteral("start_ns"),
        QStringLiteral("kind"), QStringLiteral("pid"), QStringLiteral("role"), QStringLiteral("fd"),
        QStringLiteral("fd2"), QStringLiteral("inode"), QStringLiteral("inode2"), QStringLiteral("other_pid"),
        QStringLiteral("requested"), QStringLiteral("result"), QStringLiteral("errno"), QStringLiteral("errno_name"),
        QStringLiteral("status"), QStringLiteral("code"), QStringLiteral("pending"), QStringLiteral("watched"),
        QStringLiteral("ready"), QStringLiteral("eof"), QStringLiteral("would_block"), QStringLiteral("broken_pipe"),
        QStringLiteral("text"), QStringLiteral("line")};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key()))
            return fail(QStringLiteral("unknown key '%1'").arg(it.key()));
    for (const char *required : {"seq", "t_ns", "kind", "pid", "requested", "result", "line"})
        if (!o.contains(QLatin1String(required)))
            return fail(QStringLiteral("no '%1'").arg(QLatin1String(required)));

    constexpr std::int64_t i64min = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t i64max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t i32min = std::numeric_limits<std::int32_t>::min();
    constexpr std::int64_t i32max = std::numeric_limits<std::int32_t>::max();
    std::optional<QString> bad;
    // Reads an integer field (when present) into out; notes the first that is not one.
    auto number = [&](const char *key, auto &out, std::int64_t min, std::int64_t max) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return false;
        const auto n = integer(v, min, max);
        if (!n) {
            if (!bad)
                bad = QStringLiteral("'%1' is not an integer in range").arg(QLatin1String(key));
            return false;
        }
        out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
        return true;
    };

    Event e;
    const QJsonValue kind = o.value(QStringLiteral("kind"));
    if (!kind.isString())
        return fail(QStringLiteral("'kind' is not a string"));
    e.kind = eventKindFromName(kind.toString().toStdString());
    if (e.kind == EventKind::Count_)
        return fail(QStringLiteral("unknown kind '%1'").arg(kind.toString()));

    std::int64_t seq = 0;
    number("seq", seq, 0, i64max);
    e.seq = static_cast<std::uint64_t>(seq);
    std::int64_t t = 0;
    number("t_ns", t, i64min, i64max);
    e.timeNs = t + m_baseNs;
    if (number("start_ns", t, i64min, i64max))
        e.startNs = t + m_baseNs;
    number("pid", e.pid, i32min, i32max);
    if (number("fd", e.fd, 0, i32max) && e.fd < 0)
        return fail(QStringLiteral("'fd' is negative"));
    number("fd2", e.fd2, 0, i32max);
    std::int64_t inode = 0;
    if (number("inode", inode, 1, i64max))
        e.inode = static_cast<std::uint64_t>(inode);
    if (o.contains(QStringLiteral("inode2")) && e.kind != EventKind::SocketPair)
        return fail(QStringLiteral("'inode2' on a %1").arg(kind.toString()));
    if (number("inode2", inode, 1, i64max))
        e.inode2 = static_cast<std::uint64_t>(inode);
    if (number("other_pid", e.otherPid, i32min, i32max) && e.otherPid == 0)
        return fail(QStringLiteral("'other_pid' 0 is never written"));
    number("requested", e.requested, i64min, i64max);
    number("result", e.result, i64min, i64max);
    if (number("errno", e.err, 1, i32max)) {
        const QJsonValue name = o.value(QStringLiteral("errno_name"));
        if (!name.isString() || name.toString() != QString::fromStdString(EventFormat::errnoName(e.err)))
            return fail(QStringLiteral("'errno_name' does not name errno %1").arg(e.err));
    } else if (o.contains(QStringLiteral("errno_name"))) {
        return fail(QStringLiteral("'errno_name' without 'errno'"));
    }
    if (bad)
        return fail(*bad);

    const bool waitKind = e.kind == EventKind::Wait || e.kind == EventKind::Exited || e.kind == EventKind::Reaped;
    if (o.contains(QStringLiteral("status")) != waitKind)
        return fail(waitKind ? QStringLiteral("no 'status'") : QStringLiteral("'status' on a %1").arg(kind.toString()));
    if (waitKind) {
        const auto status = parseWaitStatus(o.value(QStringLiteral("status")).toString());
        if (!status)
            return fail(QStringLiteral("'status' is not a wait status"));
        e.status = *status;
    }
    const bool codeKind = e.kind == EventKind::RunFinished || e.kind == EventKind::PipeCreated
        || e.kind == EventKind::Open || e.kind == EventKind::SocketPair;
    if (o.contains(QStringLiteral("code")) != codeKind)
        return fail(codeKind ? QStringLiteral("no 'code'") : QStringLiteral("'code' on a %1").arg(kind.toString()));
    if (codeKind && !number("code", e.status, i32min, i32max))
        return fail(QStringLiteral("'code' is not an integer"));
    const bool gate = e.kind == EventKind::GateWait;
    if (o.contains(QStringLiteral("pending")) != gate)
        return fail(gate ? QStringLiteral("no 'pending'") : QStringLiteral("'pending' on a %1").arg(kind.toString()));
    if (gate) {
        const QJsonValue pending = o.value(QStringLiteral("pending"));
        e.pending = pending.isString() ? eventKindFromName(pending.toString().toStdString()) : EventKind::Count_;
        if (e.pending == EventKind::Count_)
            return fail(QStringLiteral("'pending' is not a kind"));
    }
    const bool select = e.kind == EventKind::Select;
    for (const char *key : {"watched", "ready"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() == select)
            return fail(select ? QStringLiteral("no '%1'").arg(QLatin1String(key))
                               : QStringLiteral("'%1' on a %2").arg(QLatin1String(key), kind.toString()));
        if (!select)
            continue;
        if (!v.isArray())
            return fail(QStringLiteral("'%1' is not an array").arg(QLatin1String(key)));
        int last = -1;
        for (const QJsonValue &fd : v.toArray()) {
            const auto n = integer(fd, 0, Event::kMaxFd - 1);
            if (!n || *n <= last)
                return fail(QStringLiteral("'%1' is not a rising list of fds 0..%2")
                                .arg(QLatin1String(key))
                                .arg(Event::kMaxFd - 1));
            last = static_cast<int>(*n);
            Event::setBit(std::strcmp(key, "ready") == 0 ? e.ready : e.watched, last);
        }
    }
    if (select && !hasAny(e.watched) && hasAny(e.ready))
        return fail(QStringLiteral("'ready' fds that were not watched"));
    if (o.contains(QStringLiteral("text"))) {
        const QJsonValue text = o.value(QStringLiteral("text"));
        if (!text.isString() || text.toString().isEmpty())
            return fail(QStringLiteral("'text' is not a non-empty string"));
        QByteArray utf8 = text.toString().toUtf8();
        // A preview whose bytes were not UTF-8 grew into U+FFFDs: keep what fits, whole characters only.
        if (utf8.size() > static_cast<qsizetype>(Event::kTextSize - 1)) {
            qsizetype cut = Event::kTextSize - 1;
            while (cut > 0 && (static_cast<unsigned char>(utf8[cut]) & 0xC0) == 0x80)
                --cut;
            utf8.truncate(cut);
        }
        e.setText(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
    }
    if (!o.value(QStringLiteral("line")).isString())
        return fail(QStringLiteral("'line' is not a string"));
    if (o.contains(QStringLiteral("role"))) {
        const QJsonValue r = o.value(QStringLiteral("role"));
        if (!r.isString() || r.toString().isEmpty())
            return fail(QStringLiteral("'role' is not a non-empty string"));
        if (role)
            *role = r.toString();
    } else if (role) {
        role->clear();
    }
    // The flags are derived from the numbers: present exactly when true.
    const std::pair<const char *, bool> flags[]
        = {{"eof", e.isEof()}, {"would_block", e.isWouldBlock()}, {"broken_pipe", e.isBrokenPipe()}};
    for (const auto &[key, derived] : flags) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isUndefined() && !(v.isBool() && v.toBool()))
            return fail(QStringLiteral("'%1' is not true").arg(QLatin1String(key)));
        if (v.isUndefined() == derived)
            return fail(QStringLiteral("'%1' contradicts the call's result").arg(QLatin1String(key)));
    }
    return e;
}

} // namespace pipescope
