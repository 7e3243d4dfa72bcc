#pragma once

#include "core/model/event.h"
#include "ui/scene/fdannotator.h"

#include <QObject>
#include <QTimer>
#include <QVector>

namespace pipescope
{

class PipeScene;
class EventSource;

/// Keeps the fd cards beside a scene's nodes live: while shown it reads every
/// live process's table from /proc at 2 Hz, and soon after a batch that opened,
/// closed or inherited fds (coalesced: never per frame or per event, a read is
/// a few syscalls per fd), annotates it with its own FdAnnotator fed
/// from the controller's events, and pushes the rows to the scene. A process
/// that is gone shows "exited: fds closed by the kernel". It connects to the
/// controller itself, so every scene/controller pair (the compare pane's
/// twin too) can have its own.
class NodeFdTables : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 500;
    /// After an fd-changing batch (pipe, fork, exec, dup2, close): one read this much later.
    static constexpr int kSoonMs = 40;

    /// Neither is owned; both must outlive this object (make them its parent's siblings or parent).
    NodeFdTables(PipeScene *scene, EventSource *controller, QObject *parent = nullptr);

    /// Shows (and reads at once) or hides the cards; the scene's layout follows.
    void setShown(bool shown);
    bool isShown() const { return m_shown; }
    /// Reads every process's table now (the timer calls it).
    void refresh();
    /// The periodic read's interval (tests lengthen it to see the event-driven read alone).
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }

Q_SIGNALS:
    /// Every card has just been updated from /proc (tests wait on it).
    void refreshed();
    void shownChanged(bool shown);

private:
    PipeScene *m_scene;
    EventSource *m_controller;
    FdAnnotator m_annotator;
    QTimer m_timer;
    QTimer m_soon;
    bool m_shown = false;
};

} // namespace pipescope
