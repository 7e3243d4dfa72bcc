#include "core/trace/tracecontrol.h"

#include "core/trace/tracer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

namespace pipescope
{

namespace
{

constexpr int kMaxPaceMs = 60000;
constexpr std::size_t kMaxLine = 256; // a sender that never ends its line is not buffered forever

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

} // namespace

bool TraceControl::prepare(int fd, std::string *problem)
{
    const int flags = fd >= 0 ? fcntl(fd, F_GETFD) : -1;
    if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0) {
        *problem = "--control-fd: " + std::to_string(fd) + " is not an open file descriptor";
        return false;
    }
    return true;
}

void TraceControl::attach()
{
    m_tracer.setControl(m_fd, [this] { service(); });
}

void TraceControl::service()
{
    char buffer[4096];
    ssize_t n;
    while ((n = read(m_fd, buffer, sizeof buffer)) < 0 && errno == EINTR) { }
    if (n <= 0) {
        // EOF or an error: nobody controls the trace any more; it finishes at full speed.
        m_tracer.setControl(-1, {});
        m_tracer.setMode(TraceOptions::Mode::Free);
        return;
    }
    m_pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t end;
    while ((end = m_pending.find('\n')) != std::string::npos) {
        const std::string line = m_pending.substr(0, end);
        m_pending.erase(0, end + 1);
        apply(trimmed(line));
    }
    if (m_pending.size() > kMaxLine) {
        apply(m_pending); // unknown: warned once, then forgotten
        m_pending.clear();
    }
}

void TraceControl::apply(std::string_view line)
{
    if (line == "step") {
        m_tracer.releaseHeld();
        return;
    }
    if (line == "pause") {
        m_tracer.setMode(TraceOptions::Mode::Step);
        return;
    }
    if (line == "run") {
        m_tracer.setMode(TraceOptions::Mode::Free);
        return;
    }
    if (line.substr(0, 5) == "pace ") {
        const std::string_view number = trimmed(line.substr(5));
        int ms = -1;
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), ms);
        if (error == std::errc() && end == number.data() + number.size() && ms >= 0 && ms <= kMaxPaceMs) {
            m_tracer.setMode(TraceOptions::Mode::Paced, ms);
            return;
        }
    }
    if (line.empty())
        return;
    std::string shown;
    for (const char c : line.substr(0, 80))
        shown += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c;
    m_warn("--control-fd: ignored '" + shown + "' (step, pause, run or pace MS)");
}

} // namespace pipescope
