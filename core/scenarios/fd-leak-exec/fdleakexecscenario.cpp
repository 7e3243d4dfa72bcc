#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

namespace pipescope
{

/// Pitfall 5: exec keeps every fd that is not close-on-exec. A program started
/// for something else entirely (here cat, fed by another pipe) inherits the
/// write end of our pipe, and its copy keeps our reader from ever seeing EOF.
class FdLeakExecScenario final : public Scenario
{
public:
    std::string_view name() const override { return "fd-leak-exec"; }
    std::string_view description() const override
    {
        return "A pipe made without O_CLOEXEC leaks into an exec'd cat; its copy of the write end denies the reader "
               "EOF.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"message", ParamType::Text, "the only data there is", 1, 4096, "what the parent sends the reader"},
            {"fixed", ParamType::Bool, "false", 0, 0, "make the pipe with O_CLOEXEC, so exec closes it in cat"},
            {"watchdog-ms", ParamType::Int, "5000", 100, 60000, "stop the hung run after this long"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::string message = params.text("message");
        const bool fixed = params.flag("fixed");
        const auto data = self.pipe(fixed ? O_CLOEXEC : 0); // parent -> reader: the pipe that leaks
        const auto feed = self.pipe(O_CLOEXEC); // parent -> cat's stdin (dup2 clears close-on-exec there)
        const auto execStatus = self.pipe(O_CLOEXEC, "exec status"); // EOF: exec succeeded; 4 bytes: its errno
        if (data.readFd < 0 || feed.readFd < 0 || execStatus.readFd < 0)
            return 1;
        const pid_t cat = self.fork("cat", [&](Tracee &me) {
            me.dup2(feed.readFd, STDIN_FILENO);
            for (int fd : {feed.readFd, feed.writeFd, execStatus.readFd})
                me.close(fd);
            // Nothing here touches data.readFd / data.writeFd: this code does not even know of them.
            me.exec({"cat"}, execStatus.writeFd);
            return 127;
        });
        if (cat < 0)
            return 1;
        self.close(feed.readFd);
        self.close(execStatus.writeFd);
        int childErrno = 0;
        const ssize_t n = self.read(execStatus.readFd, &childErrno, sizeof childErrno);
        self.close(execStatus.readFd);
        if (n > 0) {
            self.note(std::string("exec of cat failed: ") + std::strerror(childErrno));
            self.close(feed.writeFd);
            self.close(data.readFd);
            self.close(data.writeFd);
            reapChild(self, cat);
            return 127;
        }
        self.note(fixed ? "cat started; exec closed fds " + std::to_string(data.readFd) + " and "
                    + std::to_string(data.writeFd) + " in it (O_CLOEXEC)"
                        : "cat started and inherited fds " + std::to_string(data.readFd) + " and "
                    + std::to_string(data.writeFd) + " (no O_CLOEXEC): it now holds a write end of our pipe");

        const pid_t reader = self.fork("reader", [&](Tracee &me) {
            me.close(data.writeFd);
            me.close(feed.writeFd);
            const std::string got = readUntilEof(me, data.readFd);
            me.close(data.readFd);
            me.note("reader: EOF");
            return expectEqual(me, "reader received", got, message);
        });
        if (reader < 0)
            return 1;
        self.close(data.readFd);
        self.writeAll(data.writeFd, message.data(), message.size());
        self.close(data.writeFd);
        if (!fixed)
            self.note("parent: closed its write end, but cat's inherited copy keeps the pipe open");
        int status = reapChild(self, reader);
        self.close(feed.writeFd); // cat sees EOF on its stdin and exits
        status |= reapChild(self, cat);
        return status;
    }
};

const Scenario *fdLeakExecScenario()
{
    static const FdLeakExecScenario instance;
    return &instance;
}

} // namespace pipescope
