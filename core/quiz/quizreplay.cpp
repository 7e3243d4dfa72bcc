#include "core/quiz/quizreplay.h"

#include "core/model/runstate.h"
#include "core/quiz/quizgenerator.h"
#include "core/quiz/quizjudge.h"

namespace pipescope
{

bool QuizReplay::ask(const Event &gate, const RunState &state)
{
    if (gate.kind != EventKind::GateWait || m_question || m_judging)
        return false;
    // Who could still change the answer: processes the recording shows running, not held at a gate.
    QuizGenerator::Context context;
    for (const ProcessInfo &p : state.processes()) {
        if (p.pid != gate.pid && (p.state == ProcessState::Running || p.external))
            context.busy.insert(p.pid);
    }
    QuizQuestion q;
    q.number = m_asked + 1; // the answers' order turns with it, as live
    if (QuizGenerator::ask(gate, state, context, &q) != QuizGenerator::Verdict::Ask)
        return false;
    const std::string lesson = std::to_string(gate.pid) + " " + eventKindName(gate.pending) + " "
        + std::to_string(static_cast<int>(q.choices[static_cast<std::size_t>(q.correct)].outcome.kind));
    if (!m_askedLessons.insert(lesson).second)
        return false; // once is a lesson, every time is a chore
    ++m_asked;
    m_question = std::move(q);
    return true;
}

bool QuizReplay::answer(int guess)
{
    if (!m_question || guess >= static_cast<int>(m_question->choices.size()))
        return false;
    QuizVerdict v;
    v.question = std::move(*m_question);
    v.guess = guess;
    m_judging = std::move(v);
    m_question.reset();
    return true;
}

std::optional<QuizVerdict> QuizReplay::apply(const Event &e)
{
    if (!m_judging)
        return std::nullopt;
    std::optional<QuizOutcome> outcome = QuizJudge::outcome(m_judging->question, e);
    if (!outcome && e.kind == EventKind::RunFinished)
        outcome = QuizOutcome {QuizOutcome::Kind::Failed, -1, {}};
    if (!outcome)
        return std::nullopt;
    QuizVerdict v = std::move(*m_judging);
    m_judging.reset();
    v.actual = *outcome;
    v.actualChoice = QuizJudge::choiceOf(v.question, *outcome);
    return v;
}

void QuizReplay::reset()
{
    m_question.reset();
    m_judging.reset();
    m_askedLessons.clear();
}

} // namespace pipescope
