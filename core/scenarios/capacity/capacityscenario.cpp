#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/readerhold.h"
#include "core/scenarios/scenarios.h"

#include <sys/ioctl.h>

#include <vector>

namespace pipescope
{

/// Pitfall 3: a pipe is a bounded buffer. Once it holds its capacity, write()
/// sleeps in the kernel until a reader makes room; F_SETPIPE_SZ moves the limit.
class CapacityScenario final : public Scenario
{
public:
    std::string_view name() const override { return "capacity"; }
    std::string_view description() const override
    {
        return "The writer blocks as soon as the pipe holds its capacity (64K by default), until the reader reads.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"capacity", ParamType::Size, "64K", 4096, std::int64_t {1} << 20,
                    "pipe size set with F_SETPIPE_SZ (the kernel rounds up to a power-of-two number of pages)"},
            {"bytes", ParamType::Size, "0", 0, std::int64_t {64} << 20,
                "what the writer sends (0: twice the capacity)"},
            {"chunk", ParamType::Size, "4K", 1, std::int64_t {1} << 20, "bytes per write"},
            {"reader-delay-ms", ParamType::Int, "1500", 0, 59000,
                "once the writer is seen blocked, the reader waits this long more before its first read (unless "
                "fixed)"},
            {"fixed", ParamType::Bool, "false", 0, 0, "the reader reads from the start, concurrently"},
            {"watchdog-ms", ParamType::Int, "5000", 100, 60000, "stop a hung run after this long"}};
    }
    std::vector<std::string> rules() const override
    {
        return {"reader-delay-ms must be less than watchdog-ms, unless fixed is true (a blocked writer looks hung)"};
    }
    std::optional<std::string> checkCombination(const ParamValues &params) const override
    {
        // A sleeping reader and a blocked writer look like a hang to the watchdog.
        if (!params.flag("fixed") && params.integer("reader-delay-ms") >= params.integer("watchdog-ms"))
            return "reader-delay-ms: " + params.text("reader-delay-ms") + " must be less than watchdog-ms ("
                + params.text("watchdog-ms") + "), or the watchdog stops the run while the writer waits";
        return std::nullopt;
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const bool fixed = params.flag("fixed");
        const auto chunk = static_cast<std::size_t>(params.integer("chunk"));
        const int delayMs = fixed ? 0 : static_cast<int>(params.integer("reader-delay-ms"));
        const auto p = self.pipe();
        if (p.readFd < 0)
            return 1;
        const long capacity = self.setPipeSize(p.writeFd, static_cast<long>(params.integer("capacity")));
        if (capacity < 0)
            return 1;
        const std::int64_t total = params.integer("bytes") > 0 ? params.integer("bytes") : 2 * std::int64_t {capacity};
        self.note("pipe capacity is " + std::to_string(capacity) + " bytes; the writer sends " + std::to_string(total));
        const pid_t writer = self.pid();
        const pid_t reader = self.fork("reader", [&](Tracee &me) {
            me.close(p.writeFd);
            if (!fixed) {
                // Not a timed head start: at a slow pace the writer needs longer than any
                // fixed delay to fill the pipe. Wait until the kernel has put it to sleep.
                ReaderHold::untilWriterBlocked(me, writer, p.readFd);
                if (delayMs > 0)
                    me.sleepMs(delayMs); // keep the blocked writer on screen a while
            }
            std::vector<char> buf(64 * 1024);
            std::int64_t got = 0;
            for (;;) {
                const ssize_t n = me.read(p.readFd, buf.data(), buf.size());
                if (n <= 0)
                    break;
                got += n;
            }
            me.close(p.readFd);
            me.note("reader: " + std::to_string(got) + " of " + std::to_string(total) + " bytes");
            return got == total ? 0 : 1;
        });
        if (reader < 0)
            return 1;
        self.close(p.readFd);
        std::vector<char> data(chunk, 'c');
        std::int64_t sent = 0;
        bool reported = false;
        while (sent < total) {
            // FIONREAD on the write end tells how much the pipe holds right now.
            int inPipe = 0;
            if (!reported && ioctl(p.writeFd, FIONREAD, &inPipe) == 0 && inPipe + static_cast<long>(chunk) > capacity) {
                self.note("writer: the pipe holds " + std::to_string(inPipe) + " of " + std::to_string(capacity)
                    + " bytes; this write of " + std::to_string(chunk) + " waits until the reader makes room");
                reported = true;
            }
            const auto n
                = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(chunk), total - sent));
            if (!self.writeAll(p.writeFd, data.data(), n))
                break;
            sent += static_cast<std::int64_t>(n);
        }
        self.close(p.writeFd);
        return reapChild(self, reader) | (sent == total ? 0 : 1);
    }
};

const Scenario *capacityScenario()
{
    static const CapacityScenario instance;
    return &instance;
}

} // namespace pipescope
