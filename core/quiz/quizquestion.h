#pragma once

#include "core/model/event.h"
#include "core/quiz/quizoutcome.h"

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pipescope
{

/// One answer on screen: its words and the outcome it predicts.
struct QuizChoice {
    std::string text;
    QuizOutcome outcome;
};

/// A question about the call one process is held before, made from the run's
/// live state (never a script): its answers, which one the kernel will give, and why.
struct QuizQuestion {
    int number = 0; ///< 1, 2, ... in the session
    pid_t pid = 0;
    std::string role;
    EventKind call = EventKind::Note; ///< Read, Write, Select or Wait
    int fd = -1;
    std::int64_t requested = 0; ///< bytes asked, select's timeout (ms), or the pid waited for
    std::string topic; ///< the lesson, in a few words ("read on an empty pipe, a writer left")
    std::string situation; ///< what the state is, one or two lines
    std::string prompt; ///< the question itself
    std::vector<QuizChoice> choices; ///< 2 to 4, shown labelled 1..4
    int correct = 0; ///< index into choices
    std::string reason; ///< one line: why the kernel answers so
};

/// A question with its guess and what the kernel then did.
struct QuizVerdict {
    QuizQuestion question;
    int guess = -1; ///< the choice picked, -1: revealed without a guess
    QuizOutcome actual;
    int actualChoice = -1; ///< the choice the kernel's answer matches, -1: none
    /// The choice marked correct is what the kernel did.
    bool predicted() const { return actualChoice >= 0 && actualChoice == question.correct; }
    /// The guess matches what the kernel did.
    bool right() const { return guess >= 0 && guess == actualChoice; }
};

} // namespace pipescope
