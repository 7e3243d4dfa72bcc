#include "core/run/scenario.h"
#include "core/run/tracee.h"
#include "core/scenarios/scenarios.h"

#include <limits.h>

#include <array>
#include <string>
#include <vector>

namespace pipescope
{

/// Pitfall 6: several writers share one pipe. A write of at most PIPE_BUF
/// bytes lands in one piece; a larger one may be split by the kernel, and
/// another writer's bytes end up in the middle of the record.
class AtomicWritesScenario final : public Scenario
{
public:
    std::string_view name() const override { return "atomic-writes"; }
    std::string_view description() const override
    {
        return "Writers share a pipe: writes up to PIPE_BUF (4096) never interleave, larger ones can; the reader "
               "counts splits.";
    }
    std::vector<ParamSpec> params() const override
    {
        return {{"writers", ParamType::Int, "4", 2, 8, "writer processes; writer A writes only 'A' bytes, and so on"},
            {"size", ParamType::Size, "100K", 1, std::int64_t {1} << 20, "bytes per record, one write() each"},
            {"records", ParamType::Int, "8", 1, 1000, "records per writer"},
            {"fixed", ParamType::Bool, "false", 0, 0, "records are at most PIPE_BUF bytes, so each write is atomic"},
            {"watchdog-ms", ParamType::Int, "5000", 100, 60000, "stop a hung run after this long"}};
    }
    int run(Tracee &self, const ParamValues &params) const override
    {
        const int writers = static_cast<int>(params.integer("writers"));
        const int records = static_cast<int>(params.integer("records"));
        std::size_t size = static_cast<std::size_t>(params.integer("size"));
        if (params.flag("fixed") && size > PIPE_BUF)
            size = PIPE_BUF;
        const auto p = self.pipe();
        const auto start = self.pipe(0, "start signal"); // writers wait for its EOF, so they all start together
        if (p.readFd < 0 || start.readFd < 0)
            return 1;
        self.note("each record is one write() of " + std::to_string(size) + " bytes; PIPE_BUF is "
            + std::to_string(PIPE_BUF) + (size <= PIPE_BUF ? ": atomic" : ": may be split"));
        std::vector<pid_t> pids;
        for (int w = 0; w < writers; ++w) {
            const char letter = static_cast<char>('A' + w);
            const pid_t pid = self.fork(std::string("writer ") + letter, [&](Tracee &me) {
                me.close(p.readFd);
                me.close(start.writeFd);
                char c;
                me.read(start.readFd, &c, 1);
                me.close(start.readFd);
                const std::string record(size, letter); // every byte names its writer
                int status = 0;
                for (int r = 0; r < records; ++r) {
                    // One write per record: a short write would split it by our own doing.
                    if (me.write(p.writeFd, record.data(), record.size()) != static_cast<ssize_t>(record.size()))
                        status = 1;
                }
                me.close(p.writeFd);
                return status;
            });
            if (pid < 0)
                return 1;
            pids.push_back(pid);
        }
        self.close(p.writeFd);
        self.close(start.readFd);
        self.close(start.writeFd); // every writer's read returns 0: go

        // Runs of one letter: a run that ends inside a record means another
        // writer's bytes came in between, so that record was split.
        std::array<std::uint64_t, 8> count {};
        std::int64_t total = 0;
        std::int64_t interleavings = 0;
        std::int64_t foreign = 0;
        int runWriter = -1;
        auto endRun = [&](int next) {
            if (runWriter < 0)
                return;
            if (count[static_cast<std::size_t>(runWriter)] % size != 0) {
                ++interleavings;
                if (interleavings <= 3)
                    self.note(std::string("record of writer ") + static_cast<char>('A' + runWriter) + " split after "
                        + std::to_string(count[static_cast<std::size_t>(runWriter)] % size) + " of its bytes"
                        + (next >= 0 ? std::string(" by writer ") + static_cast<char>('A' + next) : std::string()));
            }
        };
        std::vector<char> buf(64 * 1024);
        for (;;) {
            const ssize_t n = self.read(p.readFd, buf.data(), buf.size());
            if (n <= 0)
                break;
            for (ssize_t i = 0; i < n; ++i) {
                const int w = buf[static_cast<std::size_t>(i)] - 'A';
                if (w < 0 || w >= writers) {
                    ++foreign;
                    continue;
                }
                if (w != runWriter) {
                    endRun(w);
                    runWriter = w;
                }
                ++count[static_cast<std::size_t>(w)];
            }
            total += n;
        }
        endRun(-1);
        self.close(p.readFd);
        int status = 0;
        for (pid_t pid : pids)
            status |= reapChild(self, pid);
        const std::int64_t expected = std::int64_t {writers} * records * static_cast<std::int64_t>(size);
        self.note("reader: " + std::to_string(total) + " of " + std::to_string(expected) + " bytes, records of "
            + std::to_string(size) + "; interleavings: " + std::to_string(interleavings));
        const bool intact = total == expected && interleavings == 0 && foreign == 0;
        return status | (intact ? 0 : 1);
    }
};

const Scenario *atomicWritesScenario()
{
    static const AtomicWritesScenario instance;
    return &instance;
}

} // namespace pipescope
