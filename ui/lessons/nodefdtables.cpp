#include "ui/lessons/nodefdtables.h"

#include "ui/scene/pipescene.h"
#include "ui/source/activesource.h"
#include "ui/source/eventsource.h"
#include "ui/source/replaycontroller.h"

namespace pipescope
{

NodeFdTables::NodeFdTables(PipeScene *scene, EventSource *controller, QObject *parent)
    : QObject(parent), m_scene(scene), m_controller(controller)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &NodeFdTables::refresh);
    m_soon.setSingleShot(true);
    m_soon.setInterval(kSoonMs);
    connect(&m_soon, &QTimer::timeout, this, &NodeFdTables::refresh);
    connect(controller, &EventSource::runStarted, this, [this] {
        m_annotator.clear();
        if (m_shown) {
            refresh();
            m_timer.start();
        }
    });
    connect(controller, &EventSource::eventsArrived, this, [this](const QVector<Event> &events) {
        m_annotator.noteEvents(events);
        // An exit is certain at once and costs no /proc read: the card need not wait for the timer.
        for (const Event &e : events) {
            if (!m_shown)
                break;
            switch (e.kind) {
            case EventKind::Exited:
            case EventKind::Reaped: m_scene->setFdExited(e.pid); break;
            // The table changed: read it soon, so a card does not list an end the scene shows closed.
            case EventKind::PipeCreated:
            case EventKind::Open:
            case EventKind::SocketPair:
            case EventKind::Fork:
            case EventKind::Exec:
            case EventKind::Dup2:
            case EventKind::Close:
                if (!m_soon.isActive())
                    m_soon.start();
                break;
            default: break;
            }
        }
    });
    connect(controller, &EventSource::runReset, this, [this] {
        m_annotator.clear();
        m_timer.stop();
        m_soon.stop();
    });
    connect(controller, &EventSource::runFinished, this, [this] {
        // Every process is gone now: one last look, then nothing changes any more.
        if (m_shown)
            refresh();
        m_timer.stop();
        m_soon.stop();
    });
}

void NodeFdTables::setShown(bool shown)
{
    if (shown == m_shown)
        return;
    m_shown = shown;
    m_scene->setFdCardsShown(shown);
    if (shown) {
        refresh();
        const auto phase = m_controller->phase();
        if (phase == EventSource::Phase::Running || phase == EventSource::Phase::Paused)
            m_timer.start();
    } else {
        m_timer.stop();
        m_soon.stop();
    }
    Q_EMIT shownChanged(shown);
}

void NodeFdTables::refresh()
{
    if (!m_shown)
        return;
    const RunState &state = m_controller->state();
    const EventSource *shown = m_controller;
    if (const auto *active = qobject_cast<const ActiveSource *>(shown))
        shown = active->source();
    const auto *replay = qobject_cast<const ReplayController *>(shown);
    // Once the run is over every pid may belong to someone else: read nothing then. A replay's pids
    // were another run's (often another machine's): this machine's /proc is never read for them.
    const auto phase = m_controller->phase();
    const bool live = !replay && (phase == EventSource::Phase::Running || phase == EventSource::Phase::Paused);
    // All tables first, at one moment, so each card's write-end counts are the kernel's.
    FdAnnotator::Tables tables = live ? FdAnnotator::readAll(state) : FdAnnotator::Tables {};
    // A replay shows the tables its run had, as recorded from /proc then.
    if (replay && replay->fdTables())
        for (const FdSnapshot::Table &t : replay->fdTables()->tables)
            tables[t.pid] = t.fds;
    for (const ProcessInfo &p : state.processes()) {
        const auto rows = m_annotator.annotateTable(p.pid, tables, state);
        const bool gone = p.state == ProcessState::Exited || p.state == ProcessState::Reaped;
        if (rows)
            m_scene->setFdRows(p.pid, *rows);
        else if (replay && !gone)
            m_scene->setFdUnread(p.pid, QStringLiteral("no fd table recorded for it at this point"));
        else
            m_scene->setFdExited(p.pid);
    }
    Q_EMIT refreshed();
}

} // namespace pipescope
