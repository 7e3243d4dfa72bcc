#include "core/model/event.h"

#include <cerrno>
#include <cstring>

namespace pipescope
{

static_assert(sizeof(Event) <= 4096, "events must fit PIPE_BUF so multi-writer pipe writes stay atomic");

void Event::setText(std::string_view s)
{
    const std::size_t n = s.size() < kTextSize - 1 ? s.size() : kTextSize - 1;
    if (n > 0) // an empty view's data() may be null, which memcpy must never get
        std::memcpy(text, s.data(), n);
    text[n] = '\0';
}

std::string_view Event::textView() const
{
    return std::string_view(text, strnlen(text, kTextSize));
}

void Event::setBit(std::array<std::uint64_t, kMaxFd / 64> &set, int fd)
{
    if (fd >= 0 && fd < kMaxFd)
        set[static_cast<std::size_t>(fd / 64)] |= std::uint64_t {1} << (fd % 64);
}

bool Event::bit(const std::array<std::uint64_t, kMaxFd / 64> &set, int fd)
{
    return fd >= 0 && fd < kMaxFd && (set[static_cast<std::size_t>(fd / 64)] >> (fd % 64)) & 1U;
}

bool Event::isWouldBlock() const
{
    return (kind == EventKind::Read || kind == EventKind::Write) && err == EAGAIN;
}

bool Event::isBrokenPipe() const
{
    return kind == EventKind::Write && err == EPIPE;
}

namespace
{
constexpr const char *kNames[] = {
    "run-started",
    "process-started",
    "pipe",
    "set-pipe-size",
    "fork",
    "exec",
    "exec-failed",
    "dup2",
    "close",
    "write",
    "read",
    "select",
    "sleep",
    "wait",
    "gate",
    "blocked",
    "woken",
    "exited",
    "reaped",
    "note",
    "watchdog",
    "run-finished",
    "mkfifo",
    "open",
    "socketpair",
};
static_assert(std::size(kNames) == static_cast<std::size_t>(EventKind::Count_));
} // namespace

const char *eventKindName(EventKind kind)
{
    const auto i = static_cast<std::size_t>(kind);
    return i < std::size(kNames) ? kNames[i] : "?";
}

bool isSyscallKind(EventKind kind)
{
    switch (kind) {
    case EventKind::PipeCreated:
    case EventKind::SetPipeSize:
    case EventKind::Fork:
    case EventKind::Exec:
    case EventKind::Dup2:
    case EventKind::Close:
    case EventKind::Write:
    case EventKind::Read:
    case EventKind::Select:
    case EventKind::Sleep:
    case EventKind::Wait:
    case EventKind::Mkfifo:
    case EventKind::Open:
    case EventKind::SocketPair: return true;
    default: return false;
    }
}

EventKind eventKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i < std::size(kNames); ++i) {
        if (name == kNames[i])
            return static_cast<EventKind>(i);
    }
    return EventKind::Count_;
}

const char *outcomeName(int outcome)
{
    switch (outcome) {
    case OutcomeOk: return "ok";
    case OutcomeFailed: return "failed";
    case OutcomeCancelled: return "cancelled";
    case OutcomeWatchdog: return "watchdog";
    case OutcomeTimeLimit: return "time-limit";
    }
    return "?";
}

} // namespace pipescope
