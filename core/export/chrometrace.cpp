#include "chrometrace.h"

#include "eventformat.h"
#include "runstate.h"

#include <QJsonDocument>

namespace pipescope
{

void ChromeTrace::nameLane(const Event &e, const RunState &state)
{
    if (m_named.contains(e.pid))
        return;
    const ProcessInfo *p = state.process(e.pid);
    const QString role = p ? QString::fromStdString(p->role) : QStringLiteral("runner");
    m_named.insert(e.pid, true);
    m_events.append(QJsonObject {{QStringLiteral("name"), QStringLiteral("thread_name")},
        {QStringLiteral("ph"), QStringLiteral("M")}, {QStringLiteral("pid"), m_runnerPid},
        {QStringLiteral("tid"), e.pid},
        {QStringLiteral("args"),
            QJsonObject {{QStringLiteral("name"), QStringLiteral("%1 (pid %2)").arg(role).arg(e.pid)}}}});
}

void ChromeTrace::add(const Event &e, const RunState &state)
{
    if (e.kind == EventKind::RunStarted) {
        m_startNs = e.timeNs;
        m_runnerPid = e.pid;
        m_events.append(QJsonObject {{QStringLiteral("name"), QStringLiteral("process_name")},
            {QStringLiteral("ph"), QStringLiteral("M")}, {QStringLiteral("pid"), e.pid},
            {QStringLiteral("args"),
                QJsonObject {
                    {QStringLiteral("name"), QStringLiteral("PipeScope: %1").arg(QString::fromUtf8(e.text))}}}});
    }
    if (e.kind == EventKind::ProcessStarted || e.kind == EventKind::RunStarted)
        return;
    nameLane(e, state);
    const double ts = static_cast<double>(e.timeNs - m_startNs) / 1000.0;
    const QString name = QString::fromLatin1(eventKindName(e.kind));
    const QJsonObject args {{QStringLiteral("call"), QString::fromStdString(EventFormat::call(e))}};
    const bool syscall = e.startNs > 0;
    if (syscall) {
        const double start = static_cast<double>(e.startNs - m_startNs) / 1000.0;
        m_events.append(QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("cat"), QStringLiteral("syscall")},
            {QStringLiteral("ph"), QStringLiteral("X")}, {QStringLiteral("ts"), start},
            {QStringLiteral("dur"), qMax(0.0, ts - start)}, {QStringLiteral("pid"), m_runnerPid},
            {QStringLiteral("tid"), e.pid}, {QStringLiteral("args"), args}});
    } else {
        m_events.append(QJsonObject {{QStringLiteral("name"), name},
            {QStringLiteral("cat"), QStringLiteral("observed")}, {QStringLiteral("ph"), QStringLiteral("i")},
            {QStringLiteral("s"), QStringLiteral("t")}, {QStringLiteral("ts"), ts},
            {QStringLiteral("pid"), m_runnerPid}, {QStringLiteral("tid"), e.pid}, {QStringLiteral("args"), args}});
    }
    const bool moved = (e.kind == EventKind::Write || e.kind == EventKind::Read) && e.result > 0 && e.inode;
    if (moved || e.kind == EventKind::PipeCreated) {
        qint64 &fill = m_fill[e.inode];
        if (e.kind == EventKind::Write)
            fill += e.result;
        else if (e.kind == EventKind::Read)
            fill = qMax<qint64>(0, fill - e.result);
        m_events.append(QJsonObject {{QStringLiteral("name"), QStringLiteral("bytes in pipe:[%1]").arg(e.inode)},
            {QStringLiteral("ph"), QStringLiteral("C")}, {QStringLiteral("ts"), ts},
            {QStringLiteral("pid"), m_runnerPid},
            {QStringLiteral("args"), QJsonObject {{QStringLiteral("bytes"), fill}}}});
    }
}

QJsonObject ChromeTrace::document() const
{
    return QJsonObject {{QStringLiteral("traceEvents"), m_events},
        {QStringLiteral("displayTimeUnit"), QStringLiteral("ms")},
        {QStringLiteral("otherData"),
            QJsonObject {{QStringLiteral("generator"), QStringLiteral("PipeScope")},
                {QStringLiteral("note"),
                    QStringLiteral("pipe counters are derived from logged reads and writes; at full "
                                   "speed most data syscalls are counted, not logged")}}}};
}

QByteArray ChromeTrace::toJson() const
{
    return QJsonDocument(document()).toJson(QJsonDocument::Compact);
}

} // namespace pipescope
