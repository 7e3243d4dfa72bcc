#include "ui/source/watchcontroller.h"

#include "core/watch/commandlauncher.h"
#include "core/watch/exitaccounting.h"
#include "core/watch/pipelinewatcher.h"
#include "core/watch/watchtext.h"

#include <QSocketNotifier>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

namespace pipescope
{

namespace
{

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

const QString kNeverStopped = QStringLiteral("a watched pipeline is never stopped: it runs at its full speed");

} // namespace

WatchController::WatchController(QObject *parent) : EventSource(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &WatchController::sample);
}

WatchController::~WatchController()
{
    release();
}

bool WatchController::canStep(QString *why) const
{
    if (why)
        *why = kNeverStopped;
    return false;
}

bool WatchController::canPace(QString *why) const
{
    return canStep(why);
}

bool WatchController::canPause(QString *why) const
{
    return canStep(why);
}

QString WatchController::refusal(qint64 pid)
{
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max())
        return QStringLiteral("'%1' is not a process id").arg(pid);
    const auto why = PipelineWatcher::refusal(static_cast<pid_t>(pid));
    return why ? QString::fromStdString(*why) : QString();
}

bool WatchController::startCommand(const QStringList &argv, QString *error)
{
    reset();
    if (argv.isEmpty()) {
        if (error)
            *error = QStringLiteral("no command to watch");
        return false;
    }
    std::vector<std::string> args;
    for (const QString &a : argv)
        args.push_back(a.toStdString());
    // Exit accounting first, so that not one exit of the tree is missed (it needs
    // CAP_NET_ADMIN; without it, counts of exited processes are their last sample's).
    m_accounting = std::make_unique<ExitAccounting>();
    std::string problem;
    m_accountingProblem.clear();
    if (m_accounting->open(&m_accountingProblem) && m_exitRecordRoom > 0)
        m_accounting->setReceiveBuffer(m_exitRecordRoom);
    m_launcher = std::make_unique<CommandLauncher>();
    if (!m_launcher->start(args, &problem)) {
        if (error)
            *error = QString::fromStdString(problem);
        release();
        return false;
    }
    // The command's exit wakes us at once: its last counts are read before they are gone.
    m_exitNotifier = new QSocketNotifier(m_launcher->pidfd(), QSocketNotifier::Read, this);
    connect(m_exitNotifier, &QSocketNotifier::activated, this, [this] {
        m_exitNotifier->setEnabled(false); // a pidfd stays readable once the process has exited
        m_timer.stop();
        sample();
    });
    return begin(m_launcher->pid(), true, QStringLiteral("watching %1").arg(argv.join(QLatin1Char(' '))));
}

bool WatchController::watchPid(qint64 pid, QString *error)
{
    reset();
    const QString why = refusal(pid);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    return begin(pid, false, QStringLiteral("watching pid %1").arg(pid));
}

bool WatchController::begin(std::int64_t root, bool command, const QString &title)
{
    WatchOptions options;
    options.root = static_cast<pid_t>(root);
    options.followPipeHolders = !command;
    options.includeOwnChildren = command;
    if (m_launcher)
        options.ignored.insert(m_launcher->guardianPid()); // ours, but not a stage
    m_watcher = std::make_unique<PipelineWatcher>(options);
    m_events = std::make_unique<WatchEvents>();
    m_finder = BottleneckFinder(25);
    m_root = root;
    m_command = command;
    m_stopping = false;
    m_title = title;
    m_state = RunState();
    std::vector<Event> started;
    note(started, EventKind::RunStarted, static_cast<int>(getpid()), title.toStdString());
    started.back().otherPid = static_cast<std::int32_t>(root);
    m_state.apply(started.back());
    setPhase(Phase::Running);
    Q_EMIT runStarted();
    Q_EMIT eventsArrived(QVector<Event>(started.begin(), started.end()));
    sample(); // the first look at once: the stages appear before the first interval is over
    return true;
}

void WatchController::note(std::vector<Event> &events, EventKind kind, int pid, const std::string &text, int status)
{
    Event e;
    e.seq = m_seq++;
    e.timeNs = nowNs();
    e.startNs = e.timeNs;
    e.kind = kind;
    e.pid = pid;
    e.status = status;
    e.setText(text);
    events.push_back(e);
}

void WatchController::collect()
{
    if (m_accounting && m_accounting->isOpen())
        for (const ExitRecord &r : m_accounting->drain())
            m_watcher->setFinalCounts(r.pid, r.rchar, r.wchar, r.exitStatus, ExitRecord::kSlack);
    if (!m_launcher)
        return;
    for (const auto &[child, status] : m_launcher->reapExited()) {
        m_watcher->setExitStatus(child, status);
        m_reapedByUs.emplace_back(child, status);
    }
    if (m_launcher->commandReaped())
        m_commandStatus = m_launcher->commandStatus();
}

std::vector<WatchedPipe> WatchController::pipes() const
{
    return m_watcher ? m_watcher->everyPipe() : std::vector<WatchedPipe> {};
}

void WatchController::sample()
{
    if (!m_watcher || phase() != Phase::Running)
        return;
    // Reap after the sample: a zombie's /proc still shows its final counts.
    const WatchSample s = m_watcher->sample();
    collect();
    m_lastCostNs = s.costNs;
    m_finder.add(s);
    fold(s);
    markBottleneck();

    const bool done = m_command ? m_launcher->commandReaped() && !m_launcher->anyChildLeft() : !m_watcher->anyAlive();
    if (done) {
        // One last look: every exit is known by now, with its final counts where the kernel gave them.
        collect();
        fold(m_watcher->sample());
        if (m_stopping)
            finish(OutcomeCancelled, QStringLiteral("stopped: the command's whole tree was killed and reaped"));
        else
            finish(OutcomeOk, m_command ? QStringLiteral("the command ended") : QStringLiteral("every process ended"));
        return;
    }
    // Never sample more than half the time: a large tree takes the kernel a while to describe.
    const std::int64_t waitNs = std::max<std::int64_t>(std::int64_t {m_intervalMs} * 1'000'000, 2 * s.costNs);
    m_timer.start(static_cast<int>((waitNs + 999'999) / 1'000'000));
}

void WatchController::fold(const WatchSample &s)
{
    std::vector<Event> events = m_events->next(s);
    for (Event &e : events)
        e.seq = m_seq++;
    for (const auto &[pid, status] : m_reapedByUs)
        m_pendingReaped[pid] = {static_cast<int>(getpid()), status};
    m_reapedByUs.clear();
    for (const Event &e : events)
        m_state.apply(e);
    // Who ended how: our own children we reaped ourselves; another process's are gone
    // from /proc once their parent has reaped them.
    std::vector<Event> reaped;
    for (const ProcessInfo &p : m_state.processes()) {
        if (p.state != ProcessState::Exited)
            continue;
        const auto ours = m_pendingReaped.find(p.pid);
        const bool gone = access(("/proc/" + std::to_string(p.pid)).c_str(), F_OK) != 0;
        if (ours == m_pendingReaped.end() && !gone)
            continue;
        Event e;
        e.seq = m_seq++;
        e.timeNs = s.timeNs;
        e.startNs = s.timeNs;
        e.kind = EventKind::Reaped;
        e.pid = p.pid;
        e.otherPid = ours != m_pendingReaped.end() ? ours->second.first : p.parent;
        e.status = ours != m_pendingReaped.end() ? ours->second.second : p.status;
        reaped.push_back(e);
    }
    for (const Event &e : reaped) {
        m_state.apply(e);
        events.push_back(e);
    }

    // What no event says: the programs, the pipe ends each holds, and the pipes' counts.
    bool holders = false;
    for (const WatchedProcess &p : s.processes) {
        if (p.exited())
            continue;
        std::map<int, PipeEndRef> ends;
        for (const WatchedEnd &end : p.ends)
            ends[end.fd] = PipeEndRef {end.inode, end.writeEnd, false, false};
        holders |= m_state.observeProcess(
            p.pid, p.name, ends, static_cast<std::int64_t>(p.rchar), static_cast<std::int64_t>(p.wchar));
    }
    for (const WatchedPipe &p : s.pipes) {
        // bytes is what went in, as near as /proc tells; what is in the buffer has not come out yet.
        const std::int64_t fill = std::max<std::int64_t>(p.fill, 0);
        const std::int64_t bytes = static_cast<std::int64_t>(p.bytes);
        m_state.observePipe(p.inode, p.capacity, bytes, std::max<std::int64_t>(bytes - fill, 0));
    }
    if (!events.empty())
        Q_EMIT eventsArrived(QVector<Event>(events.begin(), events.end()));
    if (holders)
        Q_EMIT holdersChanged();
    Q_EMIT countersSampled();
}

void WatchController::markBottleneck()
{
    const std::optional<Bottleneck> now = m_finder.find();
    if (m_bottleneck && (!now || now->pid != m_bottleneck->pid))
        Q_EMIT processNoted(m_bottleneck->pid, QString());
    const bool changed = now.has_value() != m_bottleneck.has_value() || (now && now->pid != m_bottleneck->pid);
    m_bottleneck = now;
    // Said again at every sample while it holds: the node's mark fades by itself when it stops being true.
    if (now)
        Q_EMIT processNoted(now->pid, QStringLiteral("bottleneck"));
    if (changed)
        Q_EMIT statusChanged(
            now ? QStringLiteral("%1; bottleneck: %2").arg(m_title, QString::fromStdString(now->text())) : m_title);
}

void WatchController::finish(int outcome, const QString &why)
{
    m_timer.stop();
    if (m_bottleneck) {
        Q_EMIT processNoted(m_bottleneck->pid, QString());
        m_bottleneck.reset();
    }
    std::vector<Event> events;
    if (m_accounting) {
        // Counts marked "at least" say why, as the CLI's watch does at its end.
        std::string said
            = WatchText::accountingNote(m_accounting->isOpen(), m_accountingProblem, m_accounting->recordsLost());
        if (said.rfind("note: ", 0) == 0)
            said.erase(0, 6);
        while (!said.empty() && said.back() == '\n')
            said.pop_back();
        if (!said.empty())
            note(events, EventKind::Note, static_cast<int>(getpid()), said);
    }
    note(events, EventKind::RunFinished, static_cast<int>(getpid()), why.toStdString(), outcome);
    m_state.apply(events.back());
    release();
    setPhase(Phase::Finished);
    Q_EMIT eventsArrived(QVector<Event>(events.begin(), events.end()));
    Q_EMIT countersSampled();
    Q_EMIT runFinished(outcome);
}

void WatchController::release()
{
    m_timer.stop();
    delete m_exitNotifier;
    m_exitNotifier = nullptr;
    if (m_launcher) {
        // Whatever is left of the command's tree goes with us: nothing runs on unwatched.
        if (!m_launcher->commandReaped() || m_launcher->anyChildLeft())
            m_launcher->killAndReapAll();
        if (m_launcher->commandReaped())
            m_commandStatus = m_launcher->commandStatus();
        m_launcher.reset();
    }
    m_accounting.reset();
}

void WatchController::stop()
{
    if (phase() != Phase::Running || !m_watcher)
        return;
    if (m_command) {
        // Kill and reap the whole tree, then one last look: every process's end is known by then.
        for (const auto &[child, status] : m_launcher->killAndReapAll()) {
            m_watcher->setExitStatus(child, status);
            m_reapedByUs.emplace_back(child, status);
        }
        m_commandStatus = m_launcher->commandStatus();
        m_timer.stop();
        m_stopping = true;
        sample();
        if (phase() == Phase::Running)
            finish(OutcomeCancelled, QStringLiteral("stopped: the command's whole tree was killed and reaped"));
        return;
    }
    finish(OutcomeCancelled, QStringLiteral("stopped watching; the processes run on"));
}

void WatchController::reset()
{
    release();
    m_watcher.reset();
    m_events.reset();
    m_bottleneck.reset();
    m_state = RunState();
    m_title.clear();
    m_root = -1;
    m_command = false;
    m_stopping = false;
    m_commandStatus = -1;
    m_seq = 0;
    m_reapedByUs.clear();
    m_pendingReaped.clear();
    setPhase(Phase::Idle);
    Q_EMIT runReset();
}

} // namespace pipescope
