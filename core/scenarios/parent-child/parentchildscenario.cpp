#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

namespace pipescope
{

/// Lesson 2: after fork both processes hold both ends; each closes the one it does not use.
class ParentChildScenario final : public Scenario
{
public:
    std::string_view name() const override { return "parent-child"; }
    std::string_view description() const override
    {
        return "fork: the parent writes a message, the child reads it until EOF and exits.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"message", ParamType::Text, "Hello child process!", 1, 65536, "what the parent sends"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::string message = params.text("message");
        const auto p = self.pipe();
        if (p.readFd < 0)
            return 1;
        const pid_t child = self.fork("child", [&](Tracee &me) {
            me.close(p.writeFd); // otherwise our own write end would keep EOF from ever coming
            const std::string got = readUntilEof(me, p.readFd);
            me.close(p.readFd);
            return expectEqual(me, "child received", got, message);
        });
        if (child < 0)
            return 1;
        self.close(p.readFd);
        self.writeAll(p.writeFd, message.data(), message.size());
        self.close(p.writeFd); // the child's read returns 0 (EOF) only after this
        return reapChild(self, child);
    }
};

const Scenario *parentChildScenario()
{
    static const ParentChildScenario instance;
    return &instance;
}

} // namespace pipescope
