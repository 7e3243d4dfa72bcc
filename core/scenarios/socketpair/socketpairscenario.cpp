#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <sys/socket.h>

#include <algorithm>

namespace pipescope
{

namespace
{

/// Reads exactly size bytes (fewer only at EOF or on an error).
std::string readExactly(Tracee &self, int fd, std::size_t size)
{
    std::string out;
    char buf[256];
    while (out.size() < size) {
        const ssize_t n = self.read(fd, buf, std::min(sizeof buf, size - out.size()));
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

} // namespace

/// An alternative to a pipe: a socket pair, one connection whose two ends both
/// read and write (what Python's multiprocessing.Pipe() is made of on Linux).
class SocketPairScenario final : public Scenario
{
public:
    std::string_view name() const override { return "socketpair"; }
    std::string_view description() const override
    {
        return "socketpair(AF_UNIX, SOCK_STREAM), what Python's multiprocessing.Pipe() uses on Linux: one "
               "connection, two ends, and each end both writes and reads. Parent and child each write, then read, "
               "on their own end. Where bidirectional needs two pipes (one per direction), this needs one pair; "
               "the fd table shows sockets, not pipe ends.";
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
        const Tracee::SocketEnds ends = self.socketpair(SOCK_STREAM);
        if (ends.first < 0)
            return 1;
        const pid_t child = self.fork("child", [&](Tracee &me) {
            me.close(ends.first);
            // Both write before either reads: each direction has its own buffer.
            me.writeAll(ends.second, reply.data(), reply.size());
            const std::string got = readExactly(me, ends.second, request.size());
            me.close(ends.second); // the parent's next read returns 0: EOF
            return expectEqual(me, "child received", got, request);
        });
        if (child < 0)
            return 1;
        self.close(ends.second);
        self.writeAll(ends.first, request.data(), request.size());
        const std::string answer = readUntilEof(self, ends.first);
        self.close(ends.first);
        const int childStatus = reapChild(self, child);
        return expectEqual(self, "parent received", answer, reply) | childStatus;
    }
};

const Scenario *socketPairScenario()
{
    static const SocketPairScenario instance;
    return &instance;
}

} // namespace pipescope
