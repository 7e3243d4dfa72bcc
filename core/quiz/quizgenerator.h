#pragma once

#include "core/model/event.h"
#include "core/quiz/quizquestion.h"

#include <sys/types.h>

#include <functional>
#include <optional>
#include <set>

namespace pipescope
{

class RunState;

/// Makes a question from a held call (a GateWait) and the live state: a read on
/// an empty pipe with or without writers left, a read of N with M buffered, a
/// write into a full pipe or with no reader left, select's ready set, waitpid of
/// a zombie or of a live child. It asks only what the state determines: when a
/// process that could change the answer is not held (busy), it says so instead.
class QuizGenerator
{
public:
    enum class Verdict {
        NoLesson, ///< nothing to ask about this call
        Undetermined, ///< a lesson, but a busy process could still change the answer
        Ask, ///< the question is filled in
    };

    struct Context {
        /// Live processes that may change a pipe or exit before the held call runs:
        /// released calls still in progress, and exec'd programs (they run free).
        std::set<pid_t> busy;
        /// Whether pid ignores SIGPIPE; nullopt when unknown.
        std::function<std::optional<bool>(pid_t)> sigpipeIgnored;
        /// Whether pid's fd is a pipe or FIFO as the kernel sees it (a socket is not); unset: trust the state.
        std::function<bool(pid_t, int)> isPipe;
    };

    static Verdict ask(const Event &gate, const RunState &state, const Context &context, QuizQuestion *out);
};

} // namespace pipescope
