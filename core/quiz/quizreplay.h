#pragma once

#include "core/model/event.h"
#include "core/quiz/quizquestion.h"

#include <optional>
#include <set>
#include <string>

namespace pipescope
{

class RunState;

/// Quiz mode on a recorded run: nothing is held for real, so the replay stops at
/// a recorded gate the generator asks about, takes the guess, and reads the
/// kernel's answer off the file's events that follow (QuizJudge), as live. Plain logic.
class QuizReplay
{
public:
    /// gate was just folded into state: true when it is a question (then question() is open).
    /// Asked once per process, call and kind of answer, as live.
    bool ask(const Event &gate, const RunState &state);
    /// The question on screen, waiting for a guess (null when none).
    const QuizQuestion *question() const { return m_question ? &*m_question : nullptr; }
    /// True while the guess is in and the file has not answered yet.
    bool judging() const { return m_judging.has_value(); }
    /// The guess (index into the choices, -1: none) for the open question.
    bool answer(int guess);
    /// Feed every event after the answer: the verdict once it says what the kernel did.
    std::optional<QuizVerdict> apply(const Event &e);
    /// The replay went back or started again: nothing open.
    void reset();
    int asked() const { return m_asked; }

private:
    std::optional<QuizQuestion> m_question;
    std::optional<QuizVerdict> m_judging;
    std::set<std::string> m_askedLessons;
    int m_asked = 0;
};

} // namespace pipescope
