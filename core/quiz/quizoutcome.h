#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pipescope
{

/// What the kernel does with one held call, as a quiz answer states it and as
/// the events then show it: the two are compared with ==.
struct QuizOutcome {
    enum class Kind {
        Returned, ///< returned value (bytes) at once
        Eof, ///< read returned 0
        Blocked, ///< the process slept in the kernel
        WouldBlock, ///< failed with EAGAIN at once
        BrokenPipe, ///< write failed with EPIPE
        KilledBySigpipe, ///< SIGPIPE killed the writer
        Ready, ///< select returned with these fds readable (none: it timed out)
        Collected, ///< waitpid returned the child's status at once
        Failed, ///< any other error (value = errno), or the process ended before answering (value -1)
    };
    Kind kind = Kind::Failed;
    std::int64_t value = 0;
    std::vector<int> fds; ///< Ready: the readable fds, ascending

    bool operator==(const QuizOutcome &) const = default;
    /// One line, e.g. "returned 21", "slept in the kernel", "fds 4 and 6 ready".
    std::string describe() const;
};

} // namespace pipescope
