#include "ui/source/runcontroller.h"

#include "core/scenarios/scenariocatalog.h"
#include "core/session/runsession.h"

#include <QElapsedTimer>
#include <QSocketNotifier>

namespace pipescope
{

RunController::RunController(QObject *parent) : EventSource(parent)
{
    // 25 Hz: above the 20 Hz the counters must refresh at, cheap (a few atomic loads).
    m_sampler.setInterval(40);
    connect(&m_sampler, &QTimer::timeout, this, &RunController::sampleCounters);
}

RunController::~RunController()
{
    release();
}

bool RunController::start(
    const QString &scenario, const QStringList &assignments, int paceMs, bool startHeld, QString *error)
{
    reset();
    RunRequest request;
    request.scenario = scenario.toStdString();
    for (const QString &a : assignments) {
        bool ok = false;
        request.assignments.push_back(ParamValues::splitAssignment(a.toStdString(), &ok));
        if (!ok) {
            if (error)
                *error = QStringLiteral("'%1' is not key=value").arg(a);
            return false;
        }
    }
    m_runnerEventPid = -1;
    m_paceMs = std::max(0, paceMs);
    request.mode = startHeld ? RunMode::Step : (m_paceMs > 0 ? RunMode::Paced : RunMode::Free);
    if (m_quizMode) {
        request.mode = RunMode::Step; // the quiz opens the gates itself
        request.gateExits = true;
    }
    request.paceMs = m_paceMs;
    std::string problem;
    m_session = RunSession::start(request, &problem);
    if (!m_session) {
        if (error)
            *error = QString::fromStdString(problem);
        return false;
    }
    m_scenario = scenario;
    m_notifier = new QSocketNotifier(m_session->eventFd(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &RunController::readEvents);
    m_sampler.start();
    setPhase(startHeld ? Phase::Paused : Phase::Running);
    Q_EMIT runStarted();
    return true;
}

qint64 RunController::runnerPid() const
{
    return m_session ? m_session->runnerPid() : -1;
}

void RunController::readEvents()
{
    if (!m_session)
        return;
    std::vector<Event> batch;
    // At most a few thousand records per call, so a flood cannot starve painting.
    const bool more = m_session->readAvailable(&batch);
    if (!batch.empty()) {
        for (const Event &e : batch) {
            m_state.apply(e);
            // The runner's own notes carry the steps asked for when they answer a Step.
            if (e.kind == EventKind::RunStarted)
                m_runnerEventPid = e.pid;
            else if (e.kind == EventKind::Note && e.pid == m_runnerEventPid && e.requested > 0)
                Q_EMIT stepRefused(QString::fromUtf8(e.textView().data(), static_cast<qsizetype>(e.textView().size())));
        }
        m_state.applyCounters(m_session->shared());
        Q_EMIT eventsArrived(QVector<Event>(batch.begin(), batch.end()));
    }
    if (!more || m_session->finished())
        finish();
}

void RunController::sampleCounters()
{
    if (!m_session)
        return;
    m_state.applyCounters(m_session->shared());
    Q_EMIT countersSampled();
}

void RunController::finish()
{
    if (!m_session)
        return;
    m_state.applyCounters(m_session->shared());
    // The runner reported the end: this reaps it and closes our pipes and mapping.
    const int outcome = m_session->outcome();
    release();
    setPhase(Phase::Finished);
    Q_EMIT countersSampled();
    Q_EMIT runFinished(outcome);
}

void RunController::release()
{
    m_sampler.stop();
    delete m_notifier;
    m_notifier = nullptr;
    if (m_session) {
        m_session->shutdown(3000);
        m_session.reset();
    }
}

void RunController::pause()
{
    if (!m_session || phase() != Phase::Running)
        return;
    m_session->hold();
    setPhase(Phase::Paused);
    // The status beside the Resume button says so, not "running" (a lecturer reads it from the back).
    Q_EMIT statusChanged(QStringLiteral("paused: Right steps one call, Space resumes (%1)").arg(m_scenario));
}

void RunController::resume()
{
    if (!m_session || phase() != Phase::Paused)
        return;
    // In quiz mode the runner stays in Step mode: the quiz paces the gates.
    if (!m_quizMode && m_paceMs > 0)
        m_session->setPace(m_paceMs);
    else if (!m_quizMode)
        m_session->setFree();
    setPhase(Phase::Running);
    Q_EMIT statusChanged(QStringLiteral("running %1").arg(m_scenario));
}

void RunController::step()
{
    if (!m_session)
        return;
    pause();
    if (m_quizMode) {
        Q_EMIT quizStepRequested();
        return;
    }
    m_session->step(1);
    ++m_steps;
}

void RunController::stepProcess(int pid)
{
    if (!m_session)
        return;
    pause();
    m_session->stepProcess(pid);
    ++m_steps;
}

void RunController::setPace(int ms)
{
    m_paceMs = std::max(0, ms);
    if (m_session && phase() == Phase::Running && !m_quizMode) {
        if (m_paceMs > 0)
            m_session->setPace(m_paceMs);
        else
            m_session->setFree();
    }
}

void RunController::fullSpeed()
{
    m_paceMs = 0;
    if (!m_session)
        return;
    if (!m_quizMode)
        m_session->setFree();
    setPhase(Phase::Running);
}

void RunController::setQuizMode(bool on)
{
    if (m_quizMode == on)
        return;
    m_quizMode = on;
    if (!m_session || m_session->finished())
        return;
    m_session->setGateExits(on);
    if (on)
        m_session->hold(); // Step mode: from now on only releaseGate opens a gate
    else if (phase() == Phase::Running && m_paceMs > 0)
        m_session->setPace(m_paceMs);
    else if (phase() == Phase::Running)
        m_session->setFree();
}

void RunController::releaseGate(int pid)
{
    if (m_session)
        m_session->stepProcess(pid);
}

void RunController::stop()
{
    if (!m_session)
        return;
    m_session->cancel();
    // The runner kills the group with SIGKILL and reaps it within milliseconds;
    // waiting here (bounded) keeps the promise that Stop leaves nothing behind,
    // and the events tell the scene how each process ended.
    std::vector<Event> batch;
    QElapsedTimer waited;
    waited.start();
    while (!m_session->finished() && waited.elapsed() < 3000) {
        if (!m_session->waitForEvents(&batch, 50))
            break;
    }
    for (const Event &e : batch)
        m_state.apply(e);
    if (!batch.empty())
        Q_EMIT eventsArrived(QVector<Event>(batch.begin(), batch.end()));
    finish();
}

void RunController::reset()
{
    release();
    m_state = RunState();
    m_steps = 0;
    m_scenario.clear();
    setPhase(Phase::Idle);
    Q_EMIT runReset();
}

} // namespace pipescope
