#pragma once

#include <sys/types.h>

namespace pipescope
{

class Tracee;

/// A reader that holds off until the kernel has put its writer to sleep in
/// write(), so "the pipe is full and the writer waits" really happens at every
/// pace. In slow motion every syscall waits at a gate and gates open one at a
/// time, so a reader that simply reads along drains the pipe as fast as the
/// writer fills it and the lesson disappears. The reader asks the kernel, never
/// a clock: it looks at the writer's /proc/PID/wchan (where a task sleeps) and
/// at its own read end (FIONREAD, and POLLHUP once no write end is left).
class ReaderHold
{
public:
    /// What ended the wait.
    enum class Seen {
        WriterBlocked, ///< the writer sleeps in a pipe write (wchan anon_pipe_write)
        PipeFull, ///< the kernel hides wchan here; the pipe holds its capacity and the writer sleeps
        WriterDone, ///< every write end is closed (or the writer is gone) before the pipe filled
    };

    /// The reader naps between two looks, 1 ms at first and twice as long each
    /// time up to this: at full speed the writer blocks within the first few
    /// looks, and in slow motion a few looks a second neither cost anything nor
    /// keep waking the reader (each wake-up flickers its state on screen).
    static constexpr int kMaxLookMs = 100;

    /// Waits until writer sleeps in write() on a pipe, or until no write end
    /// of readFd's pipe is left. Says what it waits for and what it saw in notes.
    static Seen untilWriterBlocked(Tracee &self, pid_t writer, int readFd);
};

} // namespace pipescope
