#pragma once

#include "core/model/event.h"
#include "core/quiz/quizquestion.h"

#include <optional>

namespace pipescope
{

/// Reads the kernel's answer to a released call off the events that follow:
/// the call's own result, a Blocked look at the process first, or its death by SIGPIPE.
class QuizJudge
{
public:
    /// The outcome e shows for q's call, or nullopt when e says nothing about it.
    static std::optional<QuizOutcome> outcome(const QuizQuestion &q, const Event &e);
    /// The outcome for the choices of q: the index of the choice it matches, or -1.
    static int choiceOf(const QuizQuestion &q, const QuizOutcome &outcome);
    /// Whether a Blocked look (requested = the syscall number, fd = its first argument)
    /// shows q's own call asleep, not some other wait of the same process.
    static bool isAskedCall(const QuizQuestion &q, const Event &blocked);
};

} // namespace pipescope
