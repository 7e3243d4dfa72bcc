#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace pipescope
{

/// Pitfall 2: writing to a pipe whose every read end is closed raises SIGPIPE,
/// which kills the writer; with SIGPIPE ignored, write() fails with EPIPE.
class EpipeScenario final : public Scenario
{
public:
    std::string_view name() const override { return "epipe"; }
    std::string_view description() const override
    {
        return "The reader exits early; the writer's next write kills it with SIGPIPE (or fails with EPIPE).";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"bytes", ParamType::Size, "256K", 1, std::int64_t {64} << 20,
                    "what the writer sends (more than the pipe holds, so it must wait for the reader)"},
            {"read-bytes", ParamType::Size, "4K", 1, std::int64_t {1} << 20,
                "what the reader reads before it exits (unless fixed)"},
            {"ignore-sigpipe", ParamType::Bool, "false", 0, 0, "the writer ignores SIGPIPE and sees EPIPE instead"},
            {"fixed", ParamType::Bool, "false", 0, 0, "the reader reads everything, until EOF"},
            {"watchdog-ms", ParamType::Int, "5000", 100, 60000, "stop a hung run after this long"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::int64_t total = params.integer("bytes");
        const auto readBytes = static_cast<std::size_t>(params.integer("read-bytes"));
        const bool ignore = params.flag("ignore-sigpipe");
        const bool fixed = params.flag("fixed");
        const auto p = self.pipe();
        if (p.readFd < 0)
            return 1;
        const pid_t reader = self.fork("reader", [&](Tracee &me) {
            me.close(p.writeFd);
            std::vector<char> buf(readBytes);
            std::int64_t got = 0;
            if (fixed) {
                got = static_cast<std::int64_t>(readUntilEof(me, p.readFd, 64 * 1024).size());
            } else {
                const ssize_t n = me.read(p.readFd, buf.data(), buf.size());
                got = n > 0 ? n : 0;
            }
            me.note("reader: read " + std::to_string(got) + " bytes, "
                + (fixed ? "all of them, until EOF" : "now closes its read end and exits early"));
            me.close(p.readFd);
            return fixed && got != total ? 1 : 0;
        });
        if (reader < 0)
            return 1;
        const pid_t writer = self.fork("writer", [&](Tracee &me) {
            me.close(p.readFd);
            if (ignore) {
                signal(SIGPIPE, SIG_IGN);
                me.note("writer: SIGPIPE ignored, so a write with no reader fails with EPIPE instead");
            }
            std::vector<char> chunk(64 * 1024, 'w');
            std::int64_t sent = 0;
            while (sent < total) {
                const auto n = static_cast<std::size_t>(
                    std::min<std::int64_t>(static_cast<std::int64_t>(chunk.size()), total - sent));
                const ssize_t r = me.write(p.writeFd, chunk.data(), n);
                if (r < 0) {
                    const int err = errno;
                    me.note("writer: write failed with " + std::string(err == EPIPE ? "EPIPE" : "errno ")
                        + (err == EPIPE ? "" : std::to_string(err)) + " (" + std::strerror(err) + ") after "
                        + std::to_string(sent) + " bytes: no read end is open any more");
                    me.close(p.writeFd);
                    return 1;
                }
                sent += r;
            }
            me.close(p.writeFd);
            me.note("writer: all " + std::to_string(sent) + " bytes written");
            return 0;
        });
        if (writer < 0)
            return 1;
        self.close(p.readFd);
        self.close(p.writeFd);
        int readerStatus = 0;
        int writerStatus = 0;
        self.waitpid(reader, &readerStatus);
        self.waitpid(writer, &writerStatus);
        if (WIFSIGNALED(writerStatus))
            self.note("parent: the writer was killed by signal " + std::to_string(WTERMSIG(writerStatus)) + " ("
                + (WTERMSIG(writerStatus) == SIGPIPE ? "SIGPIPE" : strsignal(WTERMSIG(writerStatus)))
                + "): it wrote to a pipe nobody reads any more");
        const bool ok = WIFEXITED(readerStatus) && WEXITSTATUS(readerStatus) == 0 && WIFEXITED(writerStatus)
            && WEXITSTATUS(writerStatus) == 0;
        return ok ? 0 : 1;
    }
};

const Scenario *epipeScenario()
{
    static const EpipeScenario instance;
    return &instance;
}

} // namespace pipescope
