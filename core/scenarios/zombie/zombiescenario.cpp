#include "core/run/procprobe.h"
#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <string>

namespace pipescope
{

/// Pitfall 7: a process that has exited stays in the process table, state Z,
/// holding its exit status, until its parent collects it with waitpid.
class ZombieScenario final : public Scenario
{
public:
    std::string_view name() const override { return "zombie"; }
    std::string_view description() const override
    {
        return "The child exits but the parent does not wait for it yet: the child stays a zombie (state Z) until "
               "reaped.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"zombie-ms", ParamType::Int, "1500", 0, 59000, "how long the parent goes on before waitpid"},
            {"fixed", ParamType::Bool, "false", 0, 0, "the parent calls waitpid as soon as the child is done"},
            {"watchdog-ms", ParamType::Int, "5000", 100, 60000, "stop a hung run after this long"}};
    }
    std::vector<std::string> rules() const override
    {
        return {"zombie-ms must be less than watchdog-ms, unless fixed is true (a sleeping parent looks hung)"};
    }
    std::optional<std::string> checkCombination(const ParamValues &params) const override
    {
        // A sleeping parent and a dead child look like a hang to the watchdog.
        if (!params.flag("fixed") && params.integer("zombie-ms") >= params.integer("watchdog-ms"))
            return "zombie-ms: " + params.text("zombie-ms") + " must be less than watchdog-ms ("
                + params.text("watchdog-ms") + "), or the watchdog stops the run first";
        return std::nullopt;
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const bool fixed = params.flag("fixed");
        const auto p = self.pipe();
        if (p.readFd < 0)
            return 1;
        const pid_t child = self.fork("child", [&](Tracee &me) {
            me.close(p.readFd);
            const std::string bye = "done, exiting now";
            me.writeAll(p.writeFd, bye.data(), bye.size());
            me.close(p.writeFd);
            return 0;
        });
        if (child < 0)
            return 1;
        self.close(p.writeFd);
        readUntilEof(self, p.readFd); // EOF: the child has closed its end, it is exiting
        self.close(p.readFd);
        if (!fixed) {
            self.sleepMs(static_cast<int>(params.integer("zombie-ms")));
            const auto probe = ProcProbe::probe(child);
            self.note("child " + std::to_string(child) + " is in state "
                + (probe ? std::string(1, probe->state) : std::string("?"))
                + (probe && probe->zombie() ? " (zombie): it has exited, nobody has waited for it" : ""));
        }
        const int status = reapChild(self, child);
        self.note("waitpid collected the child: /proc/" + std::to_string(child)
            + (ProcProbe::probe(child) ? " still exists" : " is gone"));
        return status;
    }
};

const Scenario *zombieScenario()
{
    static const ZombieScenario instance;
    return &instance;
}

} // namespace pipescope
