#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

namespace pipescope
{

/// Lesson 4: a program knows nothing of pipes; it reads fd 0 and writes fd 1,
/// and dup2 puts pipe ends there before exec. It has no gate of its own: the
/// runner traces it (ExecTracer), so its reads and writes are events too.
class SubprocessScenario final : public Scenario
{
public:
    std::string_view name() const override { return "subprocess"; }
    std::string_view description() const override
    {
        return "Pipe data through an external program (cat) wired to stdin and stdout with dup2 and execvp.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"program", ParamType::Text, "cat", 1, 256, "program to run with execvp (no shell)"},
            {"args", ParamType::Text, "", 0, 512, "its arguments, split at spaces"},
            {"message", ParamType::Text, "Hello through cat!", 0, 65536, "what is sent to its stdin"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        std::vector<std::string> argv = {params.text("program")};
        std::istringstream words(params.text("args"));
        for (std::string w; words >> w;)
            argv.push_back(w);
        const std::string message = params.text("message");

        const auto toChild = self.pipe();
        const auto fromChild = self.pipe();
        // Close-on-exec: a successful exec closes it, so the parent reads EOF;
        // a failed one sends errno through it first.
        const auto execStatus = self.pipe(O_CLOEXEC, "exec status");
        if (toChild.readFd < 0 || fromChild.readFd < 0 || execStatus.readFd < 0)
            return 1;
        const pid_t child = self.fork(argv[0], [&](Tracee &me) {
            me.dup2(toChild.readFd, STDIN_FILENO);
            me.dup2(fromChild.writeFd, STDOUT_FILENO);
            for (int fd : {toChild.readFd, toChild.writeFd, fromChild.readFd, fromChild.writeFd, execStatus.readFd})
                me.close(fd);
            me.exec(argv, execStatus.writeFd);
            return 127; // not reached: exec either replaces us or exits
        });
        if (child < 0)
            return 1;
        self.close(toChild.readFd);
        self.close(fromChild.writeFd);
        self.close(execStatus.writeFd);
        int childErrno = 0;
        const ssize_t n = self.read(execStatus.readFd, &childErrno, sizeof childErrno);
        self.close(execStatus.readFd);
        if (n > 0) {
            self.note("exec of '" + argv[0] + "' failed: " + std::strerror(childErrno));
            self.close(toChild.writeFd);
            self.close(fromChild.readFd);
            reapChild(self, child);
            return 127;
        }
        self.note("EOF on the close-on-exec pipe: exec of '" + argv[0] + "' succeeded");
        self.writeAll(toChild.writeFd, message.data(), message.size());
        self.close(toChild.writeFd); // the program sees EOF on stdin and finishes
        const std::string output = readUntilEof(self, fromChild.readFd);
        self.close(fromChild.readFd);
        const int status = reapChild(self, child);
        if (argv.size() == 1 && argv[0] == "cat")
            return expectEqual(self, "cat echoed", output, message) | status;
        self.note(std::to_string(output.size()) + " bytes came back from " + argv[0]);
        return status;
    }
};

const Scenario *subprocessScenario()
{
    static const SubprocessScenario instance;
    return &instance;
}

} // namespace pipescope
