#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <fcntl.h>
#include <unistd.h>

namespace pipescope
{

/// An alternative to a pipe: a named pipe (FIFO). Two processes that are not
/// parent and child find it by its name; opening it waits for the other side.
class FifoScenario final : public Scenario
{
public:
    std::string_view name() const override { return "fifo"; }
    std::string_view description() const override
    {
        return "A named pipe: mkfifo gives a pipe a name (in a private folder); two processes that are not parent "
               "and child open it by that name. open for reading waits until a writer opens it; then it is a pipe "
               "like any other: the reader sees EOF once the writer closes. The name is removed at the end.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"message", ParamType::Text, "hello by name", 1, 4096, "what the writer sends"},
            {"writer-delay-ms", ParamType::Int, "300", 0, 10000,
                "how long the writer waits before it opens the FIFO (the reader waits in open meanwhile)"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const std::string message = params.text("message");
        const int delayMs = static_cast<int>(params.integer("writer-delay-ms"));
        const std::string path = self.makePrivateFifo("fifo");
        if (path.empty())
            return 1;
        // Two children of this process: siblings, neither inherits an end from the other.
        const pid_t reader = self.fork("reader", [&](Tracee &me) {
            // Blocks here until some process opens the FIFO for writing.
            const int fd = me.open(path, O_RDONLY);
            if (fd < 0)
                return 1;
            const std::string got = readUntilEof(me, fd);
            me.close(fd);
            return expectEqual(me, "reader received", got, message);
        });
        const pid_t writer = reader < 0 ? -1 : self.fork("writer", [&](Tracee &me) {
            me.sleepMs(delayMs);
            const int fd = me.open(path, O_WRONLY);
            if (fd < 0)
                return 1;
            me.writeAll(fd, message.data(), message.size());
            me.close(fd); // the reader's next read returns 0: EOF
            return 0;
        });
        int status = writer < 0 ? 1 : 0;
        if (reader > 0)
            status |= reapChild(self, reader);
        if (writer > 0)
            status |= reapChild(self, writer);
        // A FIFO is a name in the file system: it outlives the processes unless removed.
        const std::string folder = path.substr(0, path.rfind('/'));
        if (::unlink(path.c_str()) == 0 && ::rmdir(folder.c_str()) == 0)
            self.note("removed " + path + " and its folder: a FIFO's name outlives its processes");
        return status;
    }
};

const Scenario *fifoScenario()
{
    static const FifoScenario instance;
    return &instance;
}

} // namespace pipescope
