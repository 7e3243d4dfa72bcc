#include "core/quiz/quizjudge.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cerrno>

namespace pipescope
{

bool QuizJudge::isAskedCall(const QuizQuestion &q, const Event &blocked)
{
    switch (q.call) {
    case EventKind::Read: return blocked.requested == SYS_read && blocked.fd == q.fd;
    case EventKind::Write: return blocked.requested == SYS_write && blocked.fd == q.fd;
    case EventKind::Wait:
        // The probe reads no syscall for a wait (only for pipe waits): its words name the call.
        return blocked.requested == SYS_wait4 || blocked.requested == SYS_waitid
            || blocked.textView().rfind("waiting in waitpid()", 0) == 0;
    default: return true;
    }
}

std::optional<QuizOutcome> QuizJudge::outcome(const QuizQuestion &q, const Event &e)
{
    if (e.pid != q.pid)
        return std::nullopt;
    using Kind = QuizOutcome::Kind;
    QuizOutcome out;
    if (e.kind == EventKind::Blocked) {
        // select is judged by the set it returns (an empty one only after sleeping its timeout);
        // a nap in nanosleep is not the call.
        if (q.call == EventKind::Select || e.textView().find("nanosleep") != std::string_view::npos)
            return std::nullopt;
        // Only the asked call asleep is the answer: just after its release a scenario
        // process may still sleep a moment in its gate's futex wait.
        if (!isAskedCall(q, e))
            return std::nullopt;
        out.kind = Kind::Blocked;
        return out;
    }
    if (e.kind == EventKind::Exited) {
        out.kind = WIFSIGNALED(e.status) && WTERMSIG(e.status) == SIGPIPE ? Kind::KilledBySigpipe : Kind::Failed;
        out.value = out.kind == Kind::Failed ? -1 : 0;
        return out;
    }
    if (e.kind != q.call || e.startNs == 0)
        return std::nullopt;
    switch (e.kind) {
    case EventKind::Read:
    case EventKind::Write:
        if (e.err == EAGAIN || e.err == EWOULDBLOCK)
            out.kind = Kind::WouldBlock;
        else if (e.err == EPIPE)
            out.kind = Kind::BrokenPipe;
        else if (e.err != 0)
            out = {Kind::Failed, e.err, {}};
        else if (e.kind == EventKind::Read && e.result == 0)
            out.kind = Kind::Eof;
        else
            out = {Kind::Returned, e.result, {}};
        return out;
    case EventKind::Select:
        if (e.err != 0)
            return QuizOutcome {Kind::Failed, e.err, {}};
        out.kind = Kind::Ready;
        for (int fd = 0; fd < Event::kMaxFd; ++fd)
            if (Event::bit(e.ready, fd))
                out.fds.push_back(fd);
        return out;
    case EventKind::Wait:
        if (e.err != 0)
            return QuizOutcome {Kind::Failed, e.err, {}};
        return QuizOutcome {Kind::Collected, e.result, {}};
    default: return std::nullopt;
    }
}

int QuizJudge::choiceOf(const QuizQuestion &q, const QuizOutcome &outcome)
{
    for (std::size_t i = 0; i < q.choices.size(); ++i)
        if (q.choices[i].outcome == outcome)
            return static_cast<int>(i);
    return -1;
}

} // namespace pipescope
