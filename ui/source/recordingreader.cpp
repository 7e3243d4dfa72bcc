#include "ui/source/recordingreader.h"

#include "ui/source/eventjsonreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace pipescope
{

namespace
{

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

// An integer as JSON wrote it (no fraction, no exponent), within [min, max].
std::optional<std::int64_t> integer(const QJsonValue &v, std::int64_t min, std::int64_t max = kMax)
{
    if (!v.isDouble() || v.toVariant().metaType().id() != QMetaType::LongLong)
        return std::nullopt;
    const qint64 n = v.toInteger();
    if (n < min || n > max)
        return std::nullopt;
    return n;
}

std::optional<QJsonObject> object(QByteArrayView line, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset + 1);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return doc.object();
}

bool readHeader(const QJsonObject &o, RecordingHeader *h, QString *error)
{
    const QString magic = QLatin1String(RecordingHeader::kMagicKey);
    if (!o.contains(magic)) {
        *error = QStringLiteral("not a PipeScope recording (a JSON object without \"%1\")").arg(magic);
        return false;
    }
    const auto version = integer(o.value(magic), 1, std::numeric_limits<int>::max());
    if (!version) {
        *error = QStringLiteral("\"%1\" is not a format version (a whole number from 1)").arg(magic);
        return false;
    }
    if (*version > RecordingHeader::kVersion) {
        *error = QStringLiteral("recorded in format version %1 by a newer PipeScope; this one reads up to version %2")
                     .arg(*version)
                     .arg(RecordingHeader::kVersion);
        return false;
    }
    h->version = static_cast<int>(*version);
    auto text = [&](const QJsonObject &from, const char *key, std::string *out) {
        const QJsonValue v = from.value(QLatin1String(key));
        if (!v.isString()) {
            *error = QStringLiteral("the header's \"%1\" is missing or not text").arg(QLatin1String(key));
            return false;
        }
        *out = v.toString().toStdString();
        return true;
    };
    if (!text(o, "created", &h->created) || !text(o, "kernel", &h->kernel))
        return false;
    const QJsonObject host = o.value(QLatin1String("host")).toObject();
    const std::pair<const char *, std::int64_t *> facts[]
        = {{"pipe_capacity", &h->pipeCapacity}, {"pipe_buf", &h->pipeBuf}, {"page_size", &h->pageSize}};
    for (const auto &[key, out] : facts) {
        const auto n = integer(host.value(QLatin1String(key)), -1);
        if (!n) {
            *error = QStringLiteral("the header's \"host\" has no whole number \"%1\"").arg(QLatin1String(key));
            return false;
        }
        *out = *n;
    }
    const QJsonObject source = o.value(QLatin1String("source")).toObject();
    if (!text(source, "kind", &h->sourceKind))
        return false;
    if (h->sourceKind == "scenario") {
        if (!text(source, "name", &h->name))
            return false;
        const QJsonObject params = source.value(QLatin1String("params")).toObject();
        for (auto it = params.begin(); it != params.end(); ++it) {
            if (!it.value().isString()) {
                *error = QStringLiteral("the parameter \"%1\" is not text").arg(it.key());
                return false;
            }
            h->params.emplace_back(it.key().toStdString(), it.value().toString().toStdString());
        }
    } else if (h->sourceKind == "trace") {
        const QJsonArray argv = source.value(QLatin1String("argv")).toArray();
        for (const QJsonValue &arg : argv) {
            if (!arg.isString()) {
                *error = QStringLiteral("the traced program's argv holds something that is not text");
                return false;
            }
            h->argv.push_back(arg.toString().toStdString());
        }
        if (h->argv.empty()) {
            *error = QStringLiteral("a trace's \"argv\" is missing or empty");
            return false;
        }
    } else {
        *error = QStringLiteral("the source kind \"%1\" is neither scenario nor trace")
                     .arg(QString::fromStdString(h->sourceKind));
        return false;
    }
    if (o.contains(QLatin1String("listing"))) {
        if (!text(o, "listing", &h->listing))
            return false;
    }
    return true;
}

std::optional<CounterSample> readSample(const QJsonObject &o, QString *error)
{
    if (o.size() != 3 || !o.value(QLatin1String("pipes")).isArray() || !o.value(QLatin1String("processes")).isArray()) {
        *error = QStringLiteral("a sample has exactly \"sample_t_ns\", \"pipes\" and \"processes\"");
        return std::nullopt;
    }
    CounterSample s;
    const auto t = integer(o.value(QLatin1String("sample_t_ns")), 0);
    if (!t) {
        *error = QStringLiteral("a sample's \"sample_t_ns\" is not a time in ns");
        return std::nullopt;
    }
    s.timeNs = *t + RecordingReader::kBaseNs;
    for (const QJsonValue &v : o.value(QLatin1String("pipes")).toArray()) {
        const QJsonObject p = v.toObject();
        CounterSample::Pipe pipe;
        const std::pair<const char *, std::int64_t *> counters[]
            = {{"capacity", &pipe.capacity}, {"written", &pipe.written}, {"read", &pipe.read}, {"writes", &pipe.writes},
                {"reads", &pipe.reads}, {"max_fill", &pipe.maxFill}};
        const auto inode = integer(p.value(QLatin1String("inode")), 1);
        if (p.size() != 8 || !inode || !p.value(QLatin1String("eof")).isBool()) {
            *error
                = QStringLiteral("a sample's pipe needs inode, capacity, written, read, writes, reads, max_fill, eof");
            return std::nullopt;
        }
        pipe.inode = static_cast<std::uint64_t>(*inode);
        pipe.eof = p.value(QLatin1String("eof")).toBool();
        for (const auto &[key, out] : counters) {
            const auto n = integer(p.value(QLatin1String(key)), 0);
            if (!n) {
                *error = QStringLiteral("a sample's pipe has no count \"%1\" (a whole number from 0)")
                             .arg(QLatin1String(key));
                return std::nullopt;
            }
            *out = *n;
        }
        s.pipes.push_back(pipe);
    }
    for (const QJsonValue &v : o.value(QLatin1String("processes")).toArray()) {
        const QJsonObject p = v.toObject();
        const auto pid = integer(p.value(QLatin1String("pid")), 1, std::numeric_limits<pid_t>::max());
        const auto in = integer(p.value(QLatin1String("bytes_in")), 0);
        const auto out = integer(p.value(QLatin1String("bytes_out")), 0);
        if (p.size() != 3 || !pid || !in || !out) {
            *error = QStringLiteral("a sample's process needs pid, bytes_in and bytes_out (whole numbers)");
            return std::nullopt;
        }
        s.processes.push_back({static_cast<pid_t>(*pid), *in, *out});
    }
    if (s.pipes.size() > 160 || s.processes.size() > 160) {
        *error = QStringLiteral("a sample holds more pipes or processes than a run can have (160)");
        return std::nullopt;
    }
    return s;
}

std::optional<FdSnapshot> readFdSnapshot(const QJsonObject &o, QString *error)
{
    const auto t = integer(o.value(QLatin1String("fds_t_ns")), 0);
    if (o.size() != 2 || !t || !o.value(QLatin1String("tables")).isArray()) {
        *error = QStringLiteral("an fd-table line has exactly \"fds_t_ns\" (a time in ns) and \"tables\"");
        return std::nullopt;
    }
    FdSnapshot s;
    s.timeNs = *t + RecordingReader::kBaseNs;
    for (const QJsonValue &v : o.value(QLatin1String("tables")).toArray()) {
        const QJsonObject table = v.toObject();
        const auto pid = integer(table.value(QLatin1String("pid")), 1, std::numeric_limits<pid_t>::max());
        if (table.size() != 2 || !pid || !table.value(QLatin1String("fds")).isArray()) {
            *error = QStringLiteral("an fd table needs pid and fds");
            return std::nullopt;
        }
        FdSnapshot::Table out;
        out.pid = static_cast<pid_t>(*pid);
        for (const QJsonValue &f : table.value(QLatin1String("fds")).toArray()) {
            const QJsonObject e = f.toObject();
            const auto fd = integer(e.value(QLatin1String("fd")), 0, std::numeric_limits<int>::max());
            const auto pipeInode = integer(e.value(QLatin1String("pipe_inode")), 0);
            const auto socketInode = integer(e.value(QLatin1String("socket_inode")), 0);
            bool flagsOk = true;
            for (const char *key : {"read", "write", "nonblock", "cloexec"})
                flagsOk &= e.value(QLatin1String(key)).isBool();
            if (e.size() != 8 || !fd || !pipeInode || !socketInode || !e.value(QLatin1String("target")).isString()
                || !flagsOk) {
                *error = QStringLiteral(
                    "an fd needs fd, target, pipe_inode, socket_inode, read, write, nonblock and cloexec");
                return std::nullopt;
            }
            FdEntry entry;
            entry.fd = static_cast<int>(*fd);
            entry.target = e.value(QLatin1String("target")).toString().toStdString();
            entry.pipeInode = static_cast<std::uint64_t>(*pipeInode);
            entry.socketInode = static_cast<std::uint64_t>(*socketInode);
            entry.readEnd = e.value(QLatin1String("read")).toBool();
            entry.writeEnd = e.value(QLatin1String("write")).toBool();
            entry.nonBlocking = e.value(QLatin1String("nonblock")).toBool();
            entry.closeOnExec = e.value(QLatin1String("cloexec")).toBool();
            out.fds.push_back(std::move(entry));
        }
        if (out.fds.size() > 20000) {
            *error = QStringLiteral("an fd table longer than a process can hold here (20000)");
            return std::nullopt;
        }
        s.tables.push_back(std::move(out));
    }
    if (s.tables.size() > 160) {
        *error = QStringLiteral("fd tables of more processes than a run can have (160)");
        return std::nullopt;
    }
    return s;
}

} // namespace

std::optional<Recording> RecordingReader::readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxBytes) {
        *error = QStringLiteral("%1 is %2 MB: too large for a recording of one run").arg(path).arg(file.size() >> 20);
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    QString why;
    auto recording = parse(bytes, &why);
    if (!recording)
        *error = QStringLiteral("%1: %2").arg(path, why);
    return recording;
}

std::optional<Recording> RecordingReader::parse(QByteArrayView bytes, QString *error)
{
    auto fail = [error](qsizetype line, const QString &why) -> std::optional<Recording> {
        *error = QStringLiteral("line %1: %2").arg(line).arg(why);
        return std::nullopt;
    };
    if (bytes.isEmpty())
        return fail(1, QStringLiteral("the file is empty, not a PipeScope recording"));
    Recording recording;
    EventJsonReader events(kBaseNs);
    qsizetype from = 0;
    qsizetype number = 0;
    bool finished = false;
    while (from < bytes.size()) {
        ++number;
        const qsizetype nl = bytes.indexOf('\n', from);
        if (nl < 0)
            return fail(number, QStringLiteral("the file ends inside this line: the recording is truncated"));
        const QByteArrayView line = bytes.sliced(from, nl - from);
        from = nl + 1;
        QString why;
        const auto o = object(line, &why);
        if (number == 1) {
            if (!o)
                return fail(1, QStringLiteral("not a PipeScope recording: %1").arg(why));
            if (!readHeader(*o, &recording.header, &why))
                return fail(1, why);
            continue;
        }
        if (!o)
            return fail(number, why);
        Recording::Step step;
        if (o->contains(QLatin1String("sample_t_ns"))) {
            const auto sample = readSample(*o, &why);
            if (!sample)
                return fail(number, why);
            step.isSample = true;
            step.sample = *sample;
        } else if (o->contains(QLatin1String("fds_t_ns"))) {
            const auto fds = readFdSnapshot(*o, &why);
            if (!fds)
                return fail(number, why);
            step.isFds = true;
            step.fds = *fds;
        } else {
            const auto event = events.read(line, &why, &step.role);
            if (!event)
                return fail(number, why);
            if (recording.eventCount == 0 && event->kind != EventKind::RunStarted)
                return fail(number,
                    QStringLiteral("a run starts with run-started, not %1")
                        .arg(QLatin1String(eventKindName(event->kind))));
            if (finished)
                return fail(number, QStringLiteral("an event after run-finished"));
            finished = event->kind == EventKind::RunFinished;
            step.event = *event;
            ++recording.eventCount;
        }
        recording.steps.push_back(std::move(step));
    }
    if (recording.eventCount == 0)
        return fail(
            number + 1, QStringLiteral("the file ends before the run's first event: the recording is truncated"));
    if (!finished)
        return fail(number + 1, QStringLiteral("the file ends before the run finished: the recording is truncated"));
    return recording;
}

} // namespace pipescope
