#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

namespace pipescope
{

/// Pitfall 1: read() returns 0 only when every write end is closed, the
/// writer's own copy included. Forget one and the reader waits for ever.
class NoCloseEofScenario final : public Scenario
{
public:
    std::string_view name() const override { return "no-close-eof"; }
    std::string_view description() const override
    {
        return "The parent never closes its write end, so the child's read never returns 0 (EOF): both hang.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"message", ParamType::Text, "all the data there is", 1, 4096, "what the parent sends"},
            {"fixed", ParamType::Bool, "false", 0, 0, "the parent closes its write end after writing"},
            {"watchdog-ms", ParamType::Int, "5000", 100, 60000, "stop the hung run after this long"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::string message = params.text("message");
        const bool fixed = params.flag("fixed");
        const auto p = self.pipe();
        if (p.readFd < 0)
            return 1;
        const pid_t child = self.fork("child", [&](Tracee &me) {
            me.close(p.writeFd); // the child does its part: no write end of its own
            const std::string got = readUntilEof(me, p.readFd);
            me.note("child: read returned 0 (EOF): every write end is closed");
            me.close(p.readFd);
            return expectEqual(me, "child received", got, message);
        });
        if (child < 0)
            return 1;
        self.close(p.readFd);
        self.writeAll(p.writeFd, message.data(), message.size());
        if (fixed)
            self.close(p.writeFd); // the last write end: the child's next read returns 0
        else
            self.note("parent: wrote everything but keeps fd " + std::to_string(p.writeFd)
                + " (the write end) open, and waits for the child");
        const int status = reapChild(self, child);
        if (!fixed)
            self.close(p.writeFd); // never reached: the child waits for EOF, we wait for the child
        return status;
    }
};

const Scenario *noCloseEofScenario()
{
    static const NoCloseEofScenario instance;
    return &instance;
}

} // namespace pipescope
