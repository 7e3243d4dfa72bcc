#include "ui/source/replaycontroller.h"

#include "core/model/sharedstate.h"
#include "core/record/recordingwriter.h"
#include "ui/source/recordingreader.h"

#include <QDateTime>

namespace pipescope
{

namespace
{

// Full speed replays in the recorded time; the window is told at most this often.
constexpr int kTickMs = 20;

} // namespace

ReplayController::ReplayController(QObject *parent) : EventSource(parent), m_counters(std::make_unique<SharedState>())
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ReplayController::tick);
}

ReplayController::~ReplayController() = default;

bool ReplayController::load(const QString &path, bool startPaused, QString *error)
{
    QString why;
    auto recording = RecordingReader::readFile(path, &why);
    if (!recording) {
        if (error)
            *error = why;
        return false;
    }
    show(std::move(*recording), startPaused);
    return true;
}

void ReplayController::show(Recording recording, bool startPaused)
{
    reset();
    m_recording = std::move(recording);
    m_loaded = true;
    rebuild();
    if (startPaused) {
        applyUntil(stepIndexAfter(1)); // the run's start, so that the stage is not empty
        setPhase(Phase::Paused);
    } else {
        startPlaying();
    }
}

bool ReplayController::save(const QString &path, QString *error) const
{
    if (!m_loaded) {
        *error = QStringLiteral("no recording is open");
        return false;
    }
    RecordingWriter writer;
    std::string problem;
    if (!writer.open(path.toStdString(), m_recording.header, &problem)) {
        *error = QString::fromStdString(problem);
        return false;
    }
    // Times were read back counting from kBaseNs: written relative to it, they are the file's own again.
    for (const Recording::Step &s : m_recording.steps) {
        if (s.isSample)
            writer.addSample(s.sample, RecordingReader::kBaseNs, true);
        else if (s.isFds)
            writer.addFdSnapshot(s.fds, RecordingReader::kBaseNs);
        else
            writer.addEvent(s.event, RecordingReader::kBaseNs, s.role.toStdString());
    }
    if (!writer.close(&problem)) {
        *error = QString::fromStdString(problem);
        return false;
    }
    return true;
}

QString ReplayController::scenario() const
{
    return m_recording.header.sourceKind == "scenario" ? QString::fromStdString(m_recording.header.name) : QString();
}

QString ReplayController::title() const
{
    if (!m_loaded)
        return QString();
    const RecordingHeader &h = m_recording.header;
    QString what;
    if (h.sourceKind == "scenario") {
        QStringList values;
        for (const auto &[key, value] : h.params)
            values << QString::fromStdString(key + "=" + value);
        what = QString::fromStdString(h.name);
    } else {
        QStringList argv;
        for (const std::string &arg : h.argv)
            argv << QString::fromStdString(arg);
        what = argv.join(QLatin1Char(' '));
    }
    const QDateTime created = QDateTime::fromString(QString::fromStdString(h.created), Qt::ISODate);
    const QString when = created.isValid() ? created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))
                                           : QString::fromStdString(h.created);
    return QStringLiteral("replay of %1, a run recorded on %2 on %3").arg(what, when, QString::fromStdString(h.kernel));
}

double ReplayController::elapsedSeconds() const
{
    if (m_next == 0 || m_state.startNs() == 0)
        return 0;
    return static_cast<double>(m_recording.steps[m_next - 1].timeNs() - m_state.startNs()) / 1e9;
}

QString ReplayController::endText(int outcome) const
{
    return QStringLiteral("%1: finished: %2").arg(title(), QString::fromLatin1(outcomeName(outcome)));
}

void ReplayController::rebuild()
{
    m_timer.stop();
    m_state = RunState();
    m_state.setExecsTraced(m_recording.header.sourceKind == "trace");
    m_next = 0;
    m_position = 0;
    m_held = false;
    m_fdTables.reset();
    Q_EMIT runReset();
    Q_EMIT runStarted();
}

std::size_t ReplayController::stepIndexAfter(int events) const
{
    const auto &steps = m_recording.steps;
    std::size_t i = 0;
    for (int seen = 0; i < steps.size() && seen < events; ++i)
        seen += steps[i].isEvent() ? 1 : 0;
    // The samples and fd tables taken right after an event belong to it: its counters and tables as the run had them.
    while (i < steps.size() && !steps[i].isEvent())
        ++i;
    return i;
}

void ReplayController::applyUntil(std::size_t end, bool mayHold)
{
    QVector<Event> batch;
    bool sampled = false;
    bool fdsRead = false;
    end = std::min(end, m_recording.steps.size());
    for (; m_next < end; ++m_next) {
        const Recording::Step &s = m_recording.steps[m_next];
        if (s.isSample) {
            // A sample is folded in as the live counters are: the same code, the same result.
            s.sample.fill(*m_counters);
            m_state.applyCounters(*m_counters);
            sampled = true;
            continue;
        }
        if (s.isFds) {
            m_fdTables = s.fds;
            fdsRead = true;
            continue;
        }
        m_state.apply(s.event);
        // A traced program's process is named by what it runs now, as the live trace names it.
        if (s.event.kind == EventKind::Exec && !s.role.isEmpty() && m_recording.header.sourceKind == "trace")
            m_state.nameProcess(s.event.pid, s.role.toStdString());
        batch.push_back(s.event);
        ++m_position;
        if (mayHold && m_holdAt && s.event.kind == EventKind::GateWait && m_holdAt(s.event, m_state)) {
            m_held = true; // a question: nothing past this gate until it is answered
            m_timer.stop();
            setPhase(Phase::Paused);
            ++m_next;
            break;
        }
    }
    if (!batch.isEmpty())
        Q_EMIT eventsArrived(batch);
    if (sampled)
        Q_EMIT countersSampled();
    if (fdsRead)
        Q_EMIT fdTablesChanged();
    Q_EMIT positionChanged(m_position, m_recording.eventCount);
    if (m_next >= m_recording.steps.size() && phase() != Phase::Finished) {
        m_timer.stop();
        setPhase(Phase::Finished);
        Q_EMIT runFinished(m_state.outcome());
    }
}

void ReplayController::startPlaying()
{
    if (!m_loaded || m_held || m_next >= m_recording.steps.size())
        return;
    setPhase(Phase::Running);
    m_playFromNs = m_next > 0 ? m_recording.steps[m_next - 1].timeNs() : m_recording.steps.front().timeNs();
    m_clock.start();
    m_timer.start(m_paceMs > 0 ? 0 : kTickMs);
}

void ReplayController::tick()
{
    if (phase() != Phase::Running)
        return;
    if (m_held)
        return;
    if (m_paceMs > 0) {
        applyUntil(stepIndexAfter(m_position + 1), true);
    } else {
        // Every step whose recorded time has come, as the run went.
        const std::int64_t due = m_playFromNs + m_clock.nsecsElapsed();
        std::size_t end = m_next;
        while (end < m_recording.steps.size() && m_recording.steps[end].timeNs() <= due)
            ++end;
        applyUntil(end, true);
    }
    if (phase() == Phase::Running)
        m_timer.start(m_paceMs > 0 ? m_paceMs : kTickMs);
}

void ReplayController::pause()
{
    if (phase() != Phase::Running)
        return;
    m_timer.stop();
    setPhase(Phase::Paused);
}

void ReplayController::resume()
{
    if (phase() == Phase::Paused)
        startPlaying();
}

void ReplayController::step()
{
    if (!m_loaded)
        return;
    pause();
    if (m_next >= m_recording.steps.size()) {
        Q_EMIT stepRefused(QStringLiteral("the replay is at its end: Home goes back to its start, Left steps back"));
        return;
    }
    if (m_held) {
        Q_EMIT stepRefused(QStringLiteral("a question is open: 1-4 answer it"));
        return;
    }
    applyUntil(stepIndexAfter(m_position + 1), true);
}

void ReplayController::stepProcess(int pid)
{
    Q_UNUSED(pid)
    step();
}

void ReplayController::setPace(int ms)
{
    m_paceMs = std::max(0, ms);
    if (phase() == Phase::Running)
        startPlaying(); // the new pace from the event shown now
}

void ReplayController::fullSpeed()
{
    m_paceMs = 0;
    if (m_loaded && phase() != Phase::Finished)
        startPlaying();
}

void ReplayController::stop()
{
    pause();
}

void ReplayController::reset()
{
    m_timer.stop();
    m_recording = Recording();
    m_loaded = false;
    m_held = false;
    m_state = RunState();
    m_next = 0;
    m_position = 0;
    setPhase(Phase::Idle);
    Q_EMIT runReset();
}

void ReplayController::seek(int events)
{
    if (!m_loaded)
        return;
    events = std::clamp(events, 0, m_recording.eventCount);
    m_timer.stop();
    m_held = false; // scrubbing leaves the question (the quiz forgets it on runReset or here)
    // Backwards: the state after event N is the fold of the lines up to it, rebuilt from the start.
    if (events < m_position)
        rebuild();
    if (phase() != Phase::Finished || m_next < m_recording.steps.size())
        setPhase(Phase::Paused);
    applyUntil(stepIndexAfter(events)); // says Finished when it reaches the end
}

void ReplayController::stepBack()
{
    if (m_loaded)
        seek(m_position - 1);
}

void ReplayController::restart()
{
    if (!m_loaded)
        return;
    rebuild();
    setPhase(Phase::Paused);
    startPlaying();
}

} // namespace pipescope
