#include "ui/window/quizmode.h"

#include "core/quiz/quizdriver.h"
#include "core/quiz/quizreplay.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/scene/sceneview.h"
#include "ui/source/replaycontroller.h"
#include "ui/source/runcontroller.h"
#include "ui/window/quizoverlay.h"

#include <QAction>
#include <QShortcut>
#include <QWidget>

#include <time.h>

#include <algorithm>

namespace pipescope
{

namespace
{

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

} // namespace

QuizMode::QuizMode(RunController *controller, QWidget *stage, const PipeScene *scene, SceneView *view, QObject *parent)
    : QObject(parent),
      m_controller(controller),
      m_stage(stage),
      m_scene(scene),
      m_view(view),
      m_overlay(new QuizOverlay(stage))
{
    // The driver's clock: releases at the pace, a look at a call that may have blocked.
    m_timer.setInterval(20);
    connect(&m_timer, &QTimer::timeout, this, &QuizMode::tick);
    // The scene steps aside: it is fitted above (or below) the card, never under it.
    connect(m_overlay, &QuizOverlay::coverChanged, this, [this](const QRect &card) {
        if (!m_view)
            return;
        const QRect viewRect(m_view->mapTo(m_stage, QPoint(0, 0)), m_view->size());
        const QRect hit = viewRect.intersected(card);
        if (card.isNull() || hit.isEmpty()) {
            m_view->setReservedEdges(0, 0);
            return;
        }
        constexpr int kGap = 8;
        if (card.center().y() < viewRect.center().y())
            m_view->setReservedEdges(hit.bottom() - viewRect.top() + kGap, 0);
        else
            m_view->setReservedEdges(0, viewRect.bottom() - hit.top() + kGap);
    });
    connect(controller, &RunController::runStarted, this, &QuizMode::runStarted);
    connect(controller, &RunController::eventsArrived, this, &QuizMode::eventsArrived);
    connect(controller, &RunController::runFinished, this, &QuizMode::runFinished);
    connect(controller, &RunController::quizStepRequested, this, &QuizMode::stepRequested);
    connect(controller, &RunController::phaseChanged, this, [this](EventSource::Phase phase) {
        // Going on after a verdict: it leaves the stage.
        if (phase == EventSource::Phase::Running && m_driver && !m_driver->question() && !m_driver->judging())
            m_overlay->hide();
    });
    connect(controller, &RunController::runReset, this, [this] {
        m_driver.reset();
        m_lastGate.clear();
    });

    auto *toggleAction = new QAction(QStringLiteral("Quiz: predict, then reveal"), this);
    toggleAction->setCheckable(true);
    toggleAction->setShortcut(Qt::Key_Q);
    connect(toggleAction, &QAction::triggered, this, &QuizMode::setActive);
    connect(this, &QuizMode::activeChanged, toggleAction, &QAction::setChecked);
    m_actions.append(toggleAction);
    // The number keys are shortcuts of the window, not menu actions: they mean
    // something only while a question is open (the help sheet names them with Q).
    for (int i = 0; i < 4; ++i) {
        auto *key = new QShortcut(QKeySequence(Qt::Key_1 + i), stage->window());
        connect(key, &QShortcut::activated, this, [this, i] { answer(i); });
    }
}

QuizMode::~QuizMode() = default;

void QuizMode::setReplay(ReplayController *replay)
{
    m_replay = replay;
    m_replayQuiz = std::make_unique<QuizReplay>();
    replay->setHoldAt(
        [this](const Event &gate, const RunState &state) { return m_active && m_replayQuiz->ask(gate, state); });
    connect(replay, &ReplayController::eventsArrived, this, &QuizMode::replayEvents);
    connect(replay, &ReplayController::runReset, this, [this] {
        m_replayQuiz->reset();
        m_replayShown = false;
    });
    connect(replay, &ReplayController::phaseChanged, this, [this](EventSource::Phase phase) {
        if (phase == EventSource::Phase::Running && !m_replayQuiz->question() && !m_replayQuiz->judging())
            m_overlay->hide(); // going on after a verdict
    });
}

void QuizMode::replayEvents(const QVector<Event> &events)
{
    if (!m_active)
        return;
    if (const QuizQuestion *q = m_replayQuiz->question()) {
        if (!m_replay->held()) { // scrubbed past it
            m_replayQuiz->reset();
            m_replayShown = false;
            m_overlay->hide();
        } else if (!m_replayShown) {
            m_replayShown = true;
            ask(*q);
        }
        return;
    }
    if (!m_replayQuiz->judging()) {
        m_overlay->hide(); // the verdict was talked about: Step goes on to the next call
        return;
    }
    for (const Event &e : events) {
        if (auto verdict = m_replayQuiz->apply(e)) {
            m_replay->pause();
            showVerdict(*verdict);
            return;
        }
    }
}

void QuizMode::showVerdict(const QuizVerdict &v)
{
    m_right += v.right() ? 1 : 0;
    m_guessed += v.guess >= 0 ? 1 : 0;
    // The lecturer talks about it before the run goes on.
    m_overlay->showVerdict(v, scoreText());
    Q_EMIT verdictShown();
}

QString QuizMode::scoreText() const
{
    if (m_guessed == 0)
        return QStringLiteral("Score: no guesses yet (%1 asked)").arg(m_asked);
    return QStringLiteral("Score: %1 of %2 right this session").arg(m_right).arg(m_guessed);
}

void QuizMode::setActive(bool on)
{
    if (m_active == on)
        return;
    m_active = on;
    m_controller->setQuizMode(on);
    if (on) {
        const auto phase = m_controller->phase();
        if (phase == EventSource::Phase::Running || phase == EventSource::Phase::Paused) {
            newDriver(); // mid-run: take over the gates as they are
            // The pace may open a gate before the runner reads the hold: no question about those.
            m_driver->askOnlyAfter(nowNs() + 200 * std::int64_t {1000000});
        }
        m_timer.start();
        m_overlay->showNote(QStringLiteral("Quiz on"),
            QStringLiteral("Before each call whose outcome is a lesson the run stops and asks; 1-4 answer. Q ends "
                           "the quiz."));
    } else {
        m_timer.stop();
        m_driver.reset();
        m_overlay->hide();
        if (m_replay) {
            m_replayQuiz->reset();
            m_replayShown = false;
            m_replay->releaseHold();
        }
    }
    Q_EMIT activeChanged(on);
}

void QuizMode::newDriver()
{
    m_driver = std::make_unique<QuizDriver>([this](pid_t pid) { m_controller->releaseGate(pid); });
    m_verdictsSeen = 0;
    m_questionsShown = 0;
    // The calls held now, oldest first, as their gates said.
    std::vector<Event> held;
    for (const auto &[pid, gate] : m_lastGate) {
        const ProcessInfo *p = m_controller->state().process(pid);
        if (p && p->state == ProcessState::Held)
            held.push_back(gate);
    }
    std::sort(held.begin(), held.end(), [](const Event &a, const Event &b) { return a.seq < b.seq; });
    for (const Event &gate : held)
        m_driver->apply(gate, m_controller->state(), nowNs());
}

void QuizMode::runStarted()
{
    m_lastGate.clear();
    if (m_active) {
        newDriver();
        m_overlay->hide();
    }
}

void QuizMode::eventsArrived(const QVector<Event> &events)
{
    const std::int64_t now = nowNs();
    for (const Event &e : events) {
        if (e.kind == EventKind::GateWait)
            m_lastGate[e.pid] = e;
        if (m_driver)
            m_driver->apply(e, m_controller->state(), now);
    }
    tick();
}

void QuizMode::tick()
{
    if (!m_driver)
        return;
    m_driver->setPaused(m_controller->phase() != EventSource::Phase::Running);
    m_driver->setPaceMs(m_controller->pace());
    if (m_driver->poll(m_controller->state(), nowNs()))
        sync();
}

void QuizMode::ask(const QuizQuestion &q)
{
    ++m_asked;
    m_overlay->setAvoid(nodeOnStage(q.pid));
    m_overlay->setTop(m_view ? m_view->mapTo(m_stage, QPoint(0, 0)).y() : 0); // below the stage's headline
    m_overlay->showQuestion(q);
    Q_EMIT questionAsked();
}

void QuizMode::sync()
{
    if (!m_driver)
        return;
    if (const QuizQuestion *q = m_driver->question(); q && m_driver->asked() > m_questionsShown) {
        m_questionsShown = m_driver->asked();
        ask(*q);
        return;
    }
    const auto &verdicts = m_driver->verdicts();
    if (verdicts.size() > m_verdictsSeen) {
        m_verdictsSeen = verdicts.size();
        m_controller->pause();
        showVerdict(verdicts.back());
    }
}

bool QuizMode::answer(int choice)
{
    if (m_replayQuiz && m_replayQuiz->question()) {
        const QuizQuestion q = *m_replayQuiz->question();
        if (!m_replayQuiz->answer(choice))
            return false;
        m_replayShown = false;
        m_overlay->showJudging(q, choice);
        m_replay->releaseHold();
        m_replay->resume(); // the recorded call runs: its answer is in the lines that follow
        return true;
    }
    if (!m_driver || !m_driver->question())
        return false;
    const QuizQuestion q = *m_driver->question();
    m_driver->answer(choice, nowNs());
    m_overlay->showJudging(q, choice);
    tick();
    return true;
}

void QuizMode::stepRequested()
{
    if (!m_driver)
        return;
    if (!m_driver->question() && !m_driver->judging())
        m_overlay->hide(); // the verdict was talked about: on to the next call
    if (m_driver->stepNow(m_controller->state(), nowNs()))
        sync();
}

QRect QuizMode::nodeOnStage(int pid) const
{
    const ProcessItem *item = m_scene ? m_scene->processItem(pid) : nullptr;
    if (!item || !m_view)
        return {};
    const QRect inView = m_view->mapFromScene(item->sceneBoundingRect()).boundingRect();
    return QRect(m_view->viewport()->mapTo(m_stage, inView.topLeft()), inView.size());
}

void QuizMode::runFinished()
{
    if (!m_active)
        return;
    tick();
    const int asked = m_driver ? m_driver->asked() : 0;
    const int right = m_driver ? m_driver->right() : 0;
    const int guessed = m_driver ? m_driver->guessed() : 0;
    m_driver.reset();
    m_overlay->showNote(QStringLiteral("Quiz: the run is over"),
        QStringLiteral("This run: %1 asked, %2 of %3 guesses right. %4.")
            .arg(asked)
            .arg(right)
            .arg(guessed)
            .arg(scoreText()));
}

} // namespace pipescope
