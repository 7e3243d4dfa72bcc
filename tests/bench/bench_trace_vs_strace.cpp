// pipescope-bench-trace-vs-strace: what tracing costs a pipe transfer, against
// strace. The same workload (plain-transfer TOTAL 4K: a writer and a forked
// reader moving TOTAL bytes in 4 KiB writes and reads, every byte checked) runs
// alternating, in one run: with no tracer, under `pipescope-cli trace` (jsonl
// report to /dev/null), under `pipescope-cli trace --count-only` (no stop at
// any read or write: bytes derived from /proc/PID/io), under `strace -f -qq -o /dev/null -e trace=<the same
// calls>` and under the same with --seccomp-bpf. A strace column is left out
// when strace is not installed (it is not a dependency). Prints medians and
// the ratios to no tracer and to strace. The goals: the full trace at
// least as fast as strace -f with the same calls, count-only within 2x of no tracer.
//
//   pipescope-bench-trace-vs-strace [--total 64M] [--rounds 5]
#include "benchprocess.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using pipescope::bench::median;

namespace
{

// The calls PipeScope's seccomp filter stops (core/trace/seccompfilter.cpp), by name for strace.
const char *const kCalls = "pipe,pipe2,fork,vfork,clone,clone3,execve,execveat,read,write,readv,writev,splice,tee,"
                           "close,close_range,dup,dup2,dup3,fcntl,select,pselect6,poll,ppoll,wait4,waitid,exit_group,"
                           "socketpair";

/// Wall seconds from spawn to reap, -1 when it did not exit 0 (or could not start).
double timeProcess(const std::vector<std::string> &argv)
{
    return pipescope::bench::timeProcess(argv, true).wall;
}

bool haveStrace()
{
    return timeProcess({"strace", "-V"}) > 0;
}

struct Column {
    std::string name;
    std::vector<std::string> argv;
    std::vector<double> times;
};

} // namespace

int main(int argc, char **argv)
{
    std::string total = "64M";
    int rounds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--total")
            total = argv[i + 1];
        else if (key == "--rounds")
            rounds = std::atoi(argv[i + 1]);
    }
    const std::vector<std::string> work = {PIPESCOPE_BENCH_PLAIN, total, "4K"};
    const auto under = [&](std::vector<std::string> prefix) {
        prefix.insert(prefix.end(), work.begin(), work.end());
        return prefix;
    };
    std::vector<Column> columns;
    columns.push_back({"no tracer", work, {}});
    columns.push_back({"pipescope-cli trace",
        under({PIPESCOPE_BENCH_CLI, "trace", "--format", "jsonl", "--output", "/dev/null", "--"}), {}});
    columns.push_back({"pipescope-cli trace --count-only",
        under({PIPESCOPE_BENCH_CLI, "trace", "--count-only", "--format", "jsonl", "--output", "/dev/null", "--"}), {}});
    if (haveStrace()) {
        columns.push_back(
            {"strace -f", under({"strace", "-f", "-qq", "-o", "/dev/null", "-e", std::string("trace=") + kCalls}), {}});
        columns.push_back({"strace -f --seccomp-bpf",
            under({"strace", "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-e", std::string("trace=") + kCalls}),
            {}});
    } else {
        std::printf("strace is not installed: its columns are left out\n");
    }
    std::printf("%s in 4 KiB writes, %d rounds, alternating\n", total.c_str(), rounds);
    for (int r = 0; r < rounds; ++r) {
        std::printf("round %d:", r + 1);
        // The order turns each round: no column always gets the warmer cache.
        for (std::size_t k = 0; k < columns.size(); ++k) {
            Column &c = columns[(k + static_cast<std::size_t>(r)) % columns.size()];
            const double t = timeProcess(c.argv);
            if (t < 0) {
                std::fprintf(stderr, "\n%s failed (did not exit 0)\n", c.name.c_str());
                return 1;
            }
            c.times.push_back(t);
        }
        for (const Column &c : columns)
            std::printf(" %s %.3f s;", c.name.c_str(), c.times.back());
        std::printf("\n");
        std::fflush(stdout);
    }
    const double base = median(columns[0].times);
    for (const Column &c : columns)
        std::printf("median %-33s %8.3f s  time ratio to no tracer %6.2f\n", c.name.c_str(), median(c.times),
            median(c.times) / base);
    const double full = median(columns[1].times);
    const double counting = median(columns[2].times);
    if (columns.size() > 3) {
        const double strace = median(columns[3].times);
        std::printf("ratio pipescope/strace -f: %.3f (below 1: PipeScope faster)\n", full / strace);
        std::printf("ratio pipescope/strace -f --seccomp-bpf: %.3f\n", full / median(columns[4].times));
        std::printf("ratio count-only/strace -f: %.3f\n", counting / strace);
    }
    std::printf("ratio count-only/no tracer: %.3f (goal: 2 or less)\n", counting / base);
    std::printf("ratio pipescope/no tracer: %.3f\n", full / base);
    return 0;
}
