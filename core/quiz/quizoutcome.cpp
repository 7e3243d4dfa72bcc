#include "core/quiz/quizoutcome.h"

#include <cstring>

namespace pipescope
{

namespace
{

std::string fdList(const std::vector<int> &fds)
{
    std::string out;
    for (std::size_t i = 0; i < fds.size(); ++i) {
        if (i > 0)
            out += i + 1 == fds.size() ? " and " : ", ";
        out += std::to_string(fds[i]);
    }
    return out;
}

} // namespace

std::string QuizOutcome::describe() const
{
    switch (kind) {
    case Kind::Returned: return "returned " + std::to_string(value) + " at once";
    case Kind::Eof: return "returned 0 (EOF)";
    case Kind::Blocked: return "slept in the kernel";
    case Kind::WouldBlock: return "failed at once with EAGAIN";
    case Kind::BrokenPipe: return "failed with EPIPE";
    case Kind::KilledBySigpipe: return "was killed by SIGPIPE";
    case Kind::Ready:
        if (fds.empty())
            return "returned 0: no fd ready";
        return (fds.size() == 1 ? "fd " : "fds ") + fdList(fds) + " ready";
    case Kind::Collected: return "returned at once with pid " + std::to_string(value) + "'s status";
    case Kind::Failed:
        if (value > 0)
            return std::string("failed: ") + std::strerror(static_cast<int>(value));
        return "ended before the call returned";
    }
    return "?";
}

} // namespace pipescope
