#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

namespace pipescope
{

/// Lesson 3: a pipe flows one way; two-way talk takes two pipes.
class BidirectionalScenario final : public Scenario
{
public:
    std::string_view name() const override { return "bidirectional"; }
    std::string_view description() const override
    {
        return "Two pipes: the parent sends a request, the child answers on the other pipe.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"request", ParamType::Text, "ping from parent", 1, 4096, "parent to child"},
            {"reply", ParamType::Text, "pong from child", 1, 4096, "child to parent"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::string request = params.text("request");
        const std::string reply = params.text("reply");
        const auto down = self.pipe(); // parent -> child
        const auto up = self.pipe(); // child -> parent
        if (down.readFd < 0 || up.readFd < 0)
            return 1;
        const pid_t child = self.fork("child", [&](Tracee &me) {
            me.close(down.writeFd);
            me.close(up.readFd);
            const std::string got = readUntilEof(me, down.readFd);
            me.close(down.readFd);
            me.writeAll(up.writeFd, reply.data(), reply.size());
            me.close(up.writeFd);
            return expectEqual(me, "child received", got, request);
        });
        if (child < 0)
            return 1;
        self.close(down.readFd);
        self.close(up.writeFd);
        self.writeAll(down.writeFd, request.data(), request.size());
        self.close(down.writeFd);
        const std::string answer = readUntilEof(self, up.readFd);
        self.close(up.readFd);
        const int childStatus = reapChild(self, child);
        return expectEqual(self, "parent received", answer, reply) | childStatus;
    }
};

const Scenario *bidirectionalScenario()
{
    static const BidirectionalScenario instance;
    return &instance;
}

} // namespace pipescope
