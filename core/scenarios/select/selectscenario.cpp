#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <algorithm>
#include <set>

namespace pipescope
{

/// Lesson 6: one process waits on many pipes at once; select says which are readable.
class SelectScenario final : public Scenario
{
public:
    std::string_view name() const override { return "select"; }
    std::string_view description() const override
    {
        return "select over several pipes, one writer each; only some write, and exactly those become ready.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"pipes", ParamType::Int, "2", 1, 64, "how many pipes (one writer process each)"},
            {"written", ParamType::Int, "1", 0, 64, "how many of them get a message (at most pipes)"},
            {"message", ParamType::Text, "ready!", 1, 4096, "what each chosen writer sends"},
            {"timeout-ms", ParamType::Int, "2000", 0, 60000, "select's timeout"}};
    }
    std::vector<std::string> rules() const override { return {"written must be at most pipes"}; }
    std::optional<std::string> checkCombination(const ParamValues &params) const override
    {
        if (params.integer("written") > params.integer("pipes"))
            return "written: " + params.text("written") + " is more than pipes (" + params.text("pipes") + ")";
        return std::nullopt;
    }
    /// Which writers send: spread evenly over the pipes.
    static bool chosen(int i, int pipes, int written) { return written > 0 && (i * written) % pipes < written; }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const int pipes = static_cast<int>(params.integer("pipes"));
        const int written = static_cast<int>(params.integer("written"));
        const std::string message = params.text("message");
        // Writers block on this until the parent closes its write end: they keep
        // their pipes open meanwhile, so an unwritten pipe never looks ready (EOF would).
        const auto release = self.pipe(0, "start signal");
        std::vector<int> readFds;
        std::vector<pid_t> writers;
        std::set<int> expected;
        for (int i = 0; i < pipes; ++i) {
            const auto p = self.pipe();
            if (p.readFd < 0)
                return 1;
            const bool sends = chosen(i, pipes, written);
            const pid_t pid = self.fork("writer " + std::to_string(i + 1), [&](Tracee &me) {
                me.close(release.writeFd);
                me.close(p.readFd);
                for (int fd : readFds) // inherited read ends of the earlier pipes
                    me.close(fd);
                if (sends)
                    me.writeAll(p.writeFd, message.data(), message.size());
                char c;
                me.read(release.readFd, &c, 1); // returns 0 when the parent lets go
                me.close(release.readFd);
                me.close(p.writeFd);
                return 0;
            });
            if (pid < 0)
                return 1;
            self.close(p.writeFd);
            readFds.push_back(p.readFd);
            writers.push_back(pid);
            if (sends)
                expected.insert(p.readFd);
        }
        self.close(release.readFd);

        std::vector<int> watching = readFds;
        std::set<int> seen;
        bool extra = false;
        const int timeout = static_cast<int>(params.integer("timeout-ms"));
        bool timedOut = false;
        while (seen.size() < expected.size()) {
            std::vector<int> ready;
            const int n = self.select(watching, timeout, &ready);
            if (n < 0)
                break;
            if (n == 0) {
                // A timeout is not the end: in slow motion the writers may not have
                // had their turn yet. Every silent pipe stays open, so none looks ready.
                if (!timedOut)
                    self.note("select returned 0 after " + std::to_string(timeout)
                        + " ms: no pipe is ready yet; it asks again");
                timedOut = true;
                continue;
            }
            for (int fd : ready) {
                extra |= expected.count(fd) == 0;
                std::string buf(message.size(), '\0');
                self.read(fd, buf.data(), buf.size());
                seen.insert(fd);
                watching.erase(std::remove(watching.begin(), watching.end(), fd), watching.end());
            }
        }
        // A last look with no timeout: the pipes nobody wrote to are still not ready.
        std::vector<int> late;
        if (!watching.empty())
            self.select(watching, 0, &late);
        extra |= !late.empty();
        self.close(release.writeFd); // every writer's read now returns EOF
        int status = 0;
        for (pid_t pid : writers)
            status |= reapChild(self, pid);
        for (int fd : readFds)
            self.close(fd);
        const bool exact = !extra && seen == expected;
        self.note(exact ? "select reported exactly the " + std::to_string(expected.size()) + " written pipes"
                        : "select's ready set differs from the written pipes");
        return (exact ? 0 : 1) | status;
    }
};

const Scenario *selectScenario()
{
    static const SelectScenario instance;
    return &instance;
}

} // namespace pipescope
