#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace pipescope
{

class Tracer;

/// The commands another process (the GUI's Step, Pause and slow motion) sends
/// to a running trace on a control fd, one per line:
///   `step`     lets the process held at its gate go (nothing when none is held)
///   `pause`    step mode: every process is held at its next pipe-related call
///   `run`      full speed: the held process goes, nothing is held any more
///   `pace MS`  each pipe-related call waits MS ms (0 .. 60000) at its entry
/// End of file (the sender died or closed it) is `run`; an unknown line is
/// ignored with one warning.
class TraceControl
{
public:
    using Warn = std::function<void(const std::string &)>;

    TraceControl(int fd, Tracer &tracer, Warn warn) : m_fd(fd), m_tracer(tracer), m_warn(std::move(warn)) { }
    /// Hands the fd to the tracer, which calls service() whenever it can be read.
    void attach();
    /// Reads what the fd has (once: it does not block) and applies each complete line.
    void service();
    /// Marks fd close-on-exec (the traced program must not inherit it). False,
    /// with one line in *problem, when fd is not an open file descriptor.
    static bool prepare(int fd, std::string *problem);

private:
    void apply(std::string_view line);

    int m_fd;
    Tracer &m_tracer;
    Warn m_warn;
    std::string m_pending; ///< an incomplete line
};

} // namespace pipescope
