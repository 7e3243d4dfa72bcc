#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

namespace pipescope
{

/// Lesson 1: a pipe is a kernel buffer with two ends; one process can use both.
class SimpleScenario final : public Scenario
{
public:
    std::string_view name() const override { return "simple"; }
    std::string_view description() const override
    {
        return "One process writes a message into a pipe and reads it back.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"message", ParamType::Text, "Hello, pipe!", 1, 4096, "what is written into the pipe"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::string message = params.text("message");
        const auto p = self.pipe();
        if (p.readFd < 0)
            return 1;
        self.writeAll(p.writeFd, message.data(), message.size());
        // One read is enough: the whole message (at most 4096 bytes, PIPE_BUF) is in the buffer.
        std::string buf(message.size(), '\0');
        const ssize_t n = self.read(p.readFd, buf.data(), buf.size());
        buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        self.close(p.writeFd);
        self.close(p.readFd);
        return expectEqual(self, "read back", buf, message);
    }
};

const Scenario *simpleScenario()
{
    static const SimpleScenario instance;
    return &instance;
}

} // namespace pipescope
