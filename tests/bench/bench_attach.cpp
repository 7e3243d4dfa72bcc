// pipescope-bench-attach: what `pipescope-cli trace --attach` costs a pipeline
// that moves data, and that it costs nothing once detached. A pipeline
// (`dd if=/dev/zero bs=4K | cat > /dev/null`, 4 KiB writes) runs the whole
// time; its throughput (bytes cat has read, /proc/PID/io rchar, over a window)
// is measured before the attach, while attached (--follow-pipes, report to
// /dev/null) and after the detach, in rounds. Prints the medians and the
// ratios attached/before and after/before (the goal for the latter: 1 within noise).
//
//   pipescope-bench-attach [--seconds 2] [--rounds 3]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

extern char **environ;

namespace
{

double nowSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void sleepSeconds(double s)
{
    timespec ts {static_cast<time_t>(s), static_cast<long>((s - static_cast<double>(static_cast<time_t>(s))) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) { }
}

long long procNumber(pid_t pid, const std::string &file, const std::string &key)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0)
            return std::atoll(line.c_str() + key.size());
    return -1;
}

pid_t spawn(const std::vector<std::string> &argv, bool quiet)
{
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (quiet)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

/// Bytes per second cat reads over the window.
double throughput(pid_t cat, double seconds)
{
    const long long before = procNumber(cat, "io", "rchar: ");
    const double start = nowSeconds();
    sleepSeconds(seconds);
    const long long after = procNumber(cat, "io", "rchar: ");
    return static_cast<double>(after - before) / (nowSeconds() - start);
}

bool waitTracer(pid_t pid, bool traced)
{
    for (int i = 0; i < 500; ++i) {
        const long long tracer = procNumber(pid, "status", "TracerPid:\t");
        if ((tracer > 0) == traced)
            return true;
        sleepSeconds(0.01);
    }
    return false;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    double seconds = 2;
    int rounds = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--seconds")
            seconds = std::atof(argv[i + 1]);
        else if (option == "--rounds")
            rounds = std::atoi(argv[i + 1]);
    }
    const pid_t sh = spawn({"sh", "-c", "dd if=/dev/zero bs=4K status=none | cat > /dev/null"}, false);
    if (sh < 0)
        return 1;
    // The pipeline's cat: the shell's child that is not dd, once both have exec'd.
    pid_t cat = -1;
    for (int i = 0; i < 500 && cat < 0; ++i) {
        std::ifstream children("/proc/" + std::to_string(sh) + "/task/" + std::to_string(sh) + "/children");
        pid_t child;
        while (children >> child) {
            std::ifstream comm("/proc/" + std::to_string(child) + "/comm");
            std::string name;
            comm >> name;
            if (name == "cat")
                cat = child;
        }
        if (cat < 0)
            sleepSeconds(0.01);
    }
    if (cat < 0) {
        std::fprintf(stderr, "the pipeline did not start\n");
        return 1;
    }
    std::vector<double> before, attached, after;
    bool ok = true;
    for (int r = 0; r < rounds && ok; ++r) {
        before.push_back(throughput(cat, seconds));
        const pid_t cli = spawn({PIPESCOPE_BENCH_CLI, "trace", "--attach", std::to_string(cat), "--follow-pipes",
                                    "--format", "jsonl", "--output", "/dev/null"},
            true);
        ok = cli > 0 && waitTracer(cat, true);
        if (ok)
            attached.push_back(throughput(cat, seconds));
        if (cli > 0) {
            kill(cli, SIGINT);
            int status = 0;
            waitpid(cli, &status, 0);
            ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 && waitTracer(cat, false);
        }
        if (ok)
            after.push_back(throughput(cat, seconds));
        std::printf("round %d: before %.0f MB/s, attached %.1f MB/s, after %.0f MB/s\n", r + 1, before.back() / 1e6,
            attached.empty() ? 0 : attached.back() / 1e6, after.empty() ? 0 : after.back() / 1e6);
        std::fflush(stdout);
    }
    const bool alive = kill(cat, 0) == 0;
    kill(sh, SIGTERM); // the shell's children: dd and cat end on SIGPIPE/EOF once killed too
    kill(cat, SIGTERM);
    int status = 0;
    waitpid(sh, &status, 0);
    if (!ok || !alive) {
        std::fprintf(stderr, "attach or detach failed (or the pipeline died)\n");
        return 1;
    }
    const double b = median(before), a = median(attached), f = median(after);
    std::printf("median MB/s: before %.0f, attached %.1f, after %.0f\n", b / 1e6, a / 1e6, f / 1e6);
    std::printf("ratio attached/before: %.3f\nratio after/before: %.3f\n", a / b, f / b);
    return 0;
}
