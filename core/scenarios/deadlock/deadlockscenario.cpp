#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <algorithm>
#include <string>

namespace pipescope
{

/// Pitfall 4: two processes, two pipes, and each writes more than a pipe holds
/// before it reads. Each waits for the other to read: neither ever does.
class DeadlockScenario final : public Scenario
{
public:
    std::string_view name() const override { return "deadlock"; }
    std::string_view description() const override
    {
        return "Parent and child each write more than a pipe holds before reading: both block in write for ever.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"bytes", ParamType::Size, "128K", 1, std::int64_t {64} << 20, "what each side sends to the other"},
            {"chunk", ParamType::Size, "4K", 1, std::int64_t {1} << 20, "bytes per write"},
            {"fixed", ParamType::Bool, "false", 0, 0, "the child reads everything first, then answers"},
            {"watchdog-ms", ParamType::Int, "5000", 100, 60000, "stop the hung run after this long"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const auto bytes = static_cast<std::size_t>(params.integer("bytes"));
        const auto chunk = static_cast<std::size_t>(params.integer("chunk"));
        const bool fixed = params.flag("fixed");
        // In chunks, so the pipe is seen filling up until the write that blocks.
        auto send = [chunk](Tracee &t, int fd, const std::string &data) {
            for (std::size_t at = 0; at < data.size(); at += chunk) {
                if (!t.writeAll(fd, data.data() + at, std::min(chunk, data.size() - at)))
                    return;
            }
        };
        const auto down = self.pipe(); // parent -> child
        const auto up = self.pipe(); // child -> parent
        if (down.readFd < 0 || up.readFd < 0)
            return 1;
        const pid_t child = self.fork("child", [&](Tracee &me) {
            me.close(down.writeFd);
            me.close(up.readFd);
            const std::string answer(bytes, 'c');
            std::string got;
            if (fixed) {
                got = readUntilEof(me, down.readFd, 64 * 1024); // read first: the parent's write can finish
                send(me, up.writeFd, answer);
            } else {
                me.note("child: writes " + std::to_string(bytes) + " bytes before reading anything");
                send(me, up.writeFd, answer);
                got = readUntilEof(me, down.readFd, 64 * 1024);
            }
            me.close(up.writeFd);
            me.close(down.readFd);
            return got.size() == bytes ? 0 : 1;
        });
        if (child < 0)
            return 1;
        self.close(down.readFd);
        self.close(up.writeFd);
        const std::string request(bytes, 'p');
        if (!fixed)
            self.note("parent: writes " + std::to_string(bytes) + " bytes before reading anything");
        send(self, down.writeFd, request);
        self.close(down.writeFd); // the child's read returns 0 once it has everything
        const std::string answer = readUntilEof(self, up.readFd, 64 * 1024);
        self.close(up.readFd);
        const int status = reapChild(self, child);
        self.note("parent: " + std::to_string(answer.size()) + " bytes came back");
        return status | (answer.size() == bytes ? 0 : 1);
    }
};

const Scenario *deadlockScenario()
{
    static const DeadlockScenario instance;
    return &instance;
}

} // namespace pipescope
