#pragma once

#include "core/watch/bottleneckfinder.h"
#include "core/watch/watchevents.h"
#include "core/watch/watchsample.h"
#include "ui/source/eventsource.h"

#include <QStringList>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QSocketNotifier;

namespace pipescope
{

class CommandLauncher;
class ExitAccounting;
class PipelineWatcher;

/// A running pipeline, watched from /proc at its full speed (core/watch): a
/// command it starts, or a process that already runs (--pid) with its
/// descendants and the other holders of their pipes. Every interval (200 ms by
/// default, never less than twice what the last sample cost) it samples on the
/// GUI thread, turns the sample into the model's events (WatchEvents) and the
/// pipes' counts and ends into the RunState, and names the bottleneck. Nothing
/// is ever stopped, so Pause, Step and slow motion are refused with the reason.
///
/// A command it starts is reaped by it; CommandLauncher reaps any child of this
/// process, so nothing else of ours may have children while it watches a command.
class WatchController : public EventSource
{
    Q_OBJECT
public:
    explicit WatchController(QObject *parent = nullptr);
    ~WatchController() override;

    /// Starts argv (argv[0] from PATH, no shell unless it is one) and watches it;
    /// false with one line ("cannot run 'x': No such file or directory") when it cannot run.
    bool startCommand(const QStringList &argv, QString *error = nullptr);
    /// Watches a running process, its descendants and the other holders of their
    /// pipes; false with one line when it cannot be watched (no such process, PID 1, ...).
    bool watchPid(qint64 pid, QString *error = nullptr);
    /// Why pid cannot be watched, or an empty string when it can.
    static QString refusal(qint64 pid);

    void setIntervalMs(int ms) { m_intervalMs = ms; }
    /// Bytes the kernel may queue of exit records before it drops some (0: ExitAccounting's
    /// default); tests make it tiny to lose records on purpose.
    void setExitRecordRoom(int bytes) { m_exitRecordRoom = bytes; }
    int intervalMs() const { return m_intervalMs; }
    /// The command we started or the pid watched (-1 when idle).
    qint64 rootPid() const { return m_root; }
    /// The command's raw wait status once it ended (-1: not a command, or not yet).
    int commandStatus() const { return m_commandStatus; }
    /// Every pipe seen so far, with its latest counts (the watcher's own view).
    std::vector<WatchedPipe> pipes() const;
    /// The stage holding the pipeline back, over the last few seconds.
    std::optional<Bottleneck> bottleneck() const { return m_bottleneck; }
    /// The time the last sample took the kernel to answer, in ms.
    double lastSampleCostMs() const { return static_cast<double>(m_lastCostNs) / 1e6; }

    QString title() const override { return m_title; }
    bool canStep(QString *why = nullptr) const override;
    bool canPace(QString *why = nullptr) const override;
    bool canPause(QString *why = nullptr) const override;

public Q_SLOTS:
    /// A command we started: kill and reap its whole tree. A --pid: stop watching, leave it running.
    void stop() override;
    void reset() override;
    /// Takes one sample now (the timer calls it; public for tests).
    void sample();

private:
    bool begin(std::int64_t root, bool command, const QString &title);
    void collect();
    /// Turns one sample into events, ends and counts, and tells the window.
    void fold(const WatchSample &s);
    void finish(int outcome, const QString &why);
    void release();
    void note(std::vector<Event> &events, EventKind kind, int pid, const std::string &text, int status = 0);
    void markBottleneck();

    std::unique_ptr<CommandLauncher> m_launcher;
    std::unique_ptr<PipelineWatcher> m_watcher;
    std::unique_ptr<ExitAccounting> m_accounting;
    std::string m_accountingProblem; ///< why exit accounting could not be opened
    int m_exitRecordRoom = 0;
    std::unique_ptr<WatchEvents> m_events;
    BottleneckFinder m_finder {25};
    std::optional<Bottleneck> m_bottleneck;
    QSocketNotifier *m_exitNotifier = nullptr;
    QTimer m_timer;
    QString m_title;
    qint64 m_root = -1;
    bool m_command = false;
    bool m_stopping = false; ///< Stop killed the command's tree: its end is a cancel
    int m_commandStatus = -1;
    int m_intervalMs = 200;
    std::int64_t m_lastCostNs = 0;
    std::uint64_t m_seq = 0;
    std::vector<std::pair<pid_t, int>> m_reapedByUs; ///< (pid, status) reaped since the last sample
    std::map<pid_t, std::pair<int, int>> m_pendingReaped; ///< pid -> (reaper, status), until its Exited is in
};

} // namespace pipescope
