// pipescope-bench-trace-vs-strace: what tracing costs a pipe transfer, against
// strace. The same workload (plain-transfer TOTAL 4K: a writer and a forked
// reader moving TOTAL bytes in 4 KiB writes and reads, every byte checked) runs
// alternating, in one run: with no tracer, under `pipescope-cli trace` (jsonl
// report to /dev/null), under `strace -f -qq -o /dev/null -e trace=<the same
// calls>` and under the same with --seccomp-bpf. A strace column is left out
// when strace is not installed (it is not a dependency). Prints medians and
// the ratios to no tracer and to strace.
//
//   pipescope-bench-trace-vs-strace [--total 64M] [--rounds 5]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char **environ;

namespace
{

// The calls PipeScope's seccomp filter stops (core/trace/seccompfilter.cpp), by name for strace.
const char *const kCalls = "pipe,pipe2,fork,vfork,clone,clone3,execve,execveat,read,write,readv,writev,splice,tee,"
                           "close,close_range,dup,dup2,dup3,fcntl,select,pselect6,poll,ppoll,wait4,waitid,exit_group,"
                           "socketpair";

double nowSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// Wall seconds from spawn to reap, -1 when it did not exit 0 (or could not start).
double timeProcess(const std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const double start = nowSeconds();
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? nowSeconds() - start : -1;
}

bool haveStrace()
{
    return timeProcess({"strace", "-V"}) > 0;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
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
        std::printf("median %-24s %8.3f s  time ratio to no tracer %6.2f\n", c.name.c_str(), median(c.times),
            median(c.times) / base);
    if (columns.size() > 2) {
        std::printf("ratio pipescope/strace -f: %.3f (below 1: PipeScope faster)\n",
            median(columns[1].times) / median(columns[2].times));
        std::printf(
            "ratio pipescope/strace -f --seccomp-bpf: %.3f\n", median(columns[1].times) / median(columns[3].times));
    }
    std::printf("ratio pipescope/no tracer: %.3f\n", median(columns[1].times) / base);
    return 0;
}
