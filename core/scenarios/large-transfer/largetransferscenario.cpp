#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/readerhold.h"
#include "core/scenarios/scenarios.h"
#include "core/scenarios/transferpattern.h"

#include <vector>

namespace pipescope
{

/// Lesson 7: the kernel's flow control. The pipe holds `capacity` bytes; a
/// writer ahead of its reader sleeps in write() until there is room again.
/// The reader starts once the writer sleeps on the full pipe, so the writer
/// is ahead at every pace (in slow motion a reader that read along from the
/// start would keep the pipe nearly empty); from then on the writer stays
/// ahead and waits again whenever the pipe is full.
class LargeTransferScenario final : public Scenario
{
public:
    std::string_view name() const override { return "large-transfer"; }
    std::string_view description() const override
    {
        return "Send a large stream in chunks; when the pipe is full the kernel blocks the writer.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"total", ParamType::Size, "1M", 1, std::int64_t {1} << 30, "bytes to send"},
            {"chunk", ParamType::Size, "4K", 1, std::int64_t {1} << 20, "bytes per write and per read"},
            {"capacity", ParamType::Size, "0", 0, std::int64_t {1} << 20,
                "pipe size set with F_SETPIPE_SZ (0: the kernel's default)"},
            {"reader-delay-ms", ParamType::Int, "0", 0, 1000, "the reader sleeps this long after each read"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::int64_t total = params.integer("total");
        const auto chunk = static_cast<std::size_t>(params.integer("chunk"));
        const std::int64_t capacity = params.integer("capacity");
        const int delayMs = static_cast<int>(params.integer("reader-delay-ms"));
        const TransferPattern pattern(chunk);
        const auto p = self.pipe();
        if (p.readFd < 0)
            return 1;
        if (capacity > 0 && self.setPipeSize(p.writeFd, static_cast<long>(capacity)) < 0)
            return 1;
        const pid_t writer = self.pid();
        const pid_t reader = self.fork("reader", [&](Tracee &me) {
            me.close(p.writeFd);
            ReaderHold::untilWriterBlocked(me, writer, p.readFd);
            std::vector<unsigned char> buf(chunk);
            std::int64_t received = 0;
            std::int64_t badReads = 0;
            for (;;) {
                const ssize_t n = me.read(p.readFd, buf.data(), buf.size());
                if (n <= 0)
                    break;
                badReads
                    += !pattern.matches(static_cast<std::uint64_t>(received), buf.data(), static_cast<std::size_t>(n));
                received += n;
                if (delayMs > 0)
                    me.sleepMs(delayMs);
            }
            me.close(p.readFd);
            const bool intact = received == total && badReads == 0;
            me.note("reader: " + std::to_string(received) + " of " + std::to_string(total) + " bytes, "
                + (intact ? "every byte intact" : std::to_string(badReads) + " reads with wrong bytes"));
            return intact ? 0 : 1;
        });
        if (reader < 0)
            return 1;
        self.close(p.readFd);
        std::int64_t sent = 0;
        while (sent < total) {
            const auto n
                = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(chunk), total - sent));
            if (!self.writeAll(p.writeFd, pattern.at(static_cast<std::uint64_t>(sent)), n))
                break;
            sent += static_cast<std::int64_t>(n);
        }
        self.close(p.writeFd);
        return reapChild(self, reader) | (sent == total ? 0 : 1);
    }
};

const Scenario *largeTransferScenario()
{
    static const LargeTransferScenario instance;
    return &instance;
}

} // namespace pipescope
