#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <fcntl.h>

#include <cerrno>

namespace pipescope
{

/// Lesson 5: with O_NONBLOCK an empty pipe answers EAGAIN instead of blocking.
class NonblockingScenario final : public Scenario
{
public:
    std::string_view name() const override { return "nonblocking"; }
    std::string_view description() const override
    {
        return "O_NONBLOCK: reading an empty pipe gets EAGAIN at once; data arrives later.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"message", ParamType::Text, "data has arrived", 1, 4096, "what the child writes"},
            {"delay-ms", ParamType::Int, "300", 0, 10000, "how long the child waits before writing"},
            {"retry-ms", ParamType::Int, "100", 1, 5000, "how long the parent waits after EAGAIN"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::string message = params.text("message");
        const auto p = self.pipe(O_NONBLOCK);
        if (p.readFd < 0)
            return 1;
        char buf[4096];
        // Nobody has written yet, so this read cannot find data: EAGAIN, not a block.
        self.read(p.readFd, buf, sizeof buf);
        const pid_t child = self.fork("writer", [&](Tracee &me) {
            me.close(p.readFd);
            me.sleepMs(static_cast<int>(params.integer("delay-ms")));
            me.writeAll(p.writeFd, message.data(), message.size());
            me.close(p.writeFd);
            return 0;
        });
        if (child < 0)
            return 1;
        self.close(p.writeFd);
        std::string got;
        for (;;) {
            const ssize_t n = self.read(p.readFd, buf, sizeof buf);
            if (n > 0) {
                got.append(buf, static_cast<std::size_t>(n));
            } else if (n < 0 && errno == EAGAIN) {
                self.sleepMs(static_cast<int>(params.integer("retry-ms")));
            } else {
                break; // 0: EOF, the writer closed its end
            }
        }
        self.close(p.readFd);
        return expectEqual(self, "parent received", got, message) | reapChild(self, child);
    }
};

const Scenario *nonblockingScenario()
{
    static const NonblockingScenario instance;
    return &instance;
}

} // namespace pipescope
