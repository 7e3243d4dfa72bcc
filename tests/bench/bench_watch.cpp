// pipescope-bench-watch: what watching a pipeline costs it. The same pipeline,
// alternating in one run so that the machine's noise hits each alike: with no
// observer, under `pipescope-cli watch`, and with `pv -q` inserted between two
// stages (when pv is installed). Prints medians, the throughput ratios
// (watched/unwatched, target 0.98 or better; pv/unwatched) and the watcher's
// own CPU, here and on a 64-process pipeline at the default interval (target:
// under 5% of one core).
//
//   pipescope-bench-watch [--total 2G] [--rounds 5] [--cpu-seconds 10] [--interval 200]
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace
{

double nowSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long long parseSize(const char *text)
{
    char *end = nullptr;
    long long n = std::strtoll(text, &end, 10);
    switch (end && *end ? *end : ' ') {
    case 'K': n <<= 10; break;
    case 'M': n <<= 20; break;
    case 'G': n <<= 30; break;
    default: break;
    }
    return n;
}

bool onPath(const char *program)
{
    const char *path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t colon = std::min(dirs.find(':', start), dirs.size());
        const std::string file = dirs.substr(start, colon - start) + "/" + program;
        if (access(file.c_str(), X_OK) == 0)
            return true;
        start = colon + 1;
    }
    return false;
}

/// Runs argv with stdin from /dev/null and stdout to `out` (or /dev/null);
/// its wall time in seconds, -1 when it did not exit 0.
double timed(const std::vector<std::string> &argv, const char *out = "/dev/null")
{
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(nullptr);
    const double start = nowSeconds();
    const pid_t child = fork();
    if (child == 0) {
        const int in = open("/dev/null", O_RDONLY);
        const int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || o < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0)
            _exit(126);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    const double seconds = nowSeconds() - start;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? seconds : -1;
}

/// The watcher's own CPU seconds from the summary line of its JSON output, -1 if absent.
double watcherCpu(const char *file)
{
    FILE *f = std::fopen(file, "r");
    if (!f)
        return -1;
    std::string last, line;
    char buf[65536];
    while (std::fgets(buf, sizeof buf, f)) {
        line += buf;
        if (!line.empty() && line.back() == '\n') {
            if (line.rfind("{\"type\":\"summary\"", 0) == 0)
                last = line;
            line.clear();
        }
    }
    std::fclose(f);
    const std::size_t at = last.find("\"watcher_cpu_s\":");
    return at == std::string::npos ? -1 : std::strtod(last.c_str() + at + 16, nullptr);
}

} // namespace

int main(int argc, char **argv)
{
    long long total = 2LL << 30;
    int rounds = 5;
    int cpuSeconds = 10;
    int intervalMs = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--total"))
            total = parseSize(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--rounds"))
            rounds = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--cpu-seconds"))
            cpuSeconds = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--interval"))
            intervalMs = std::atoi(argv[i + 1]);
    }
    const std::string cli = PIPESCOPE_BENCH_CLI;
    const std::string interval = std::to_string(intervalMs);
    const std::string n = std::to_string(total);
    const std::string plain = "head -c " + n + " /dev/zero | cat | cat | wc -c >/dev/null";
    const std::string withPv = "head -c " + n + " /dev/zero | cat | pv -q | cat | wc -c >/dev/null";
    const bool pv = onPath("pv");
    char jsonFile[] = "/tmp/pipescope-bench-watch-XXXXXX";
    const int jsonFd = mkstemp(jsonFile);
    if (jsonFd < 0) {
        std::perror("mkstemp");
        return 1;
    }
    close(jsonFd);

    std::printf("pipeline: %s (%.2f GiB), %d rounds, watch interval %d ms\n", plain.c_str(),
        static_cast<double>(total) / (1 << 30), rounds, intervalMs);
    if (!pv)
        std::printf("note: pv is not installed: the pv column is skipped\n");
    std::vector<double> tPlain, tWatched, tPv, cpuShare;
    bool failed = false;
    for (int r = 0; r < rounds; ++r) {
        // Each round in another order: none always runs on a cooler or warmer machine.
        for (int k = 0; k < 3; ++k) {
            const int which = (k + r) % 3;
            if (which == 0) {
                const double t = timed({"sh", "-c", plain});
                failed |= t < 0;
                tPlain.push_back(t);
            } else if (which == 1) {
                const double t = timed(
                    {cli, "watch", "--interval", interval, "--format", "jsonl", "--", "sh", "-c", plain}, jsonFile);
                failed |= t < 0;
                tWatched.push_back(t);
                const double cpu = watcherCpu(jsonFile);
                if (cpu >= 0 && t > 0)
                    cpuShare.push_back(cpu / t);
            } else if (pv) {
                const double t = timed({"sh", "-c", withPv});
                failed |= t < 0;
                tPv.push_back(t);
            }
        }
        std::printf("round %d: unwatched %.3f s, watched %.3f s", r + 1, tPlain.back(), tWatched.back());
        if (pv)
            std::printf(", pv %.3f s", tPv.back());
        std::printf("\n");
        std::fflush(stdout);
    }
    const double mib = static_cast<double>(total) / (1 << 20);
    const double mPlain = median(tPlain), mWatched = median(tWatched);
    std::printf("median unwatched: %.3f s (%.0f MiB/s)\n", mPlain, mib / mPlain);
    std::printf("median watched:   %.3f s (%.0f MiB/s)\n", mWatched, mib / mWatched);
    if (pv) {
        const double mPv = median(tPv);
        std::printf("median with pv:   %.3f s (%.0f MiB/s)\n", mPv, mib / mPv);
        std::printf("ratio pv/unwatched: %.3f\n", mPlain / mPv);
    }
    std::printf("ratio watched/unwatched: %.3f\n", mPlain / mWatched);
    std::printf("watcher CPU while watching it: %.1f%% of one core (median)\n", 100 * median(cpuShare));

    if (cpuSeconds > 0) {
        // 64 processes: the shell and 63 stages that sit in their pipes, watched
        // at the interval for cpuSeconds; the watcher's own CPU over its wall time.
        std::string many = "sleep " + std::to_string(cpuSeconds);
        for (int i = 0; i < 62; ++i)
            many += " | cat";
        many += " >/dev/null";
        const double t
            = timed({cli, "watch", "--interval", interval, "--format", "jsonl", "--", "sh", "-c", many}, jsonFile);
        const double cpu = watcherCpu(jsonFile);
        failed |= t < 0 || cpu < 0;
        std::printf("watcher CPU on a 64-process pipeline: %.1f%% of one core (%.3f s in %.1f s)\n",
            t > 0 ? 100 * cpu / t : 0.0, cpu, t);
    }
    unlink(jsonFile);
    if (failed) {
        std::printf("error: a run did not exit 0\n");
        return 1;
    }
    return 0;
}
