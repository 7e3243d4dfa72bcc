// pipescope-bench-vs-c: PipeScope against an outside reference. Alternates, in
// one run, whole processes: `pipescope-cli run large-transfer --set total=T
// --set chunk=C` (start-up of the CLI and the runner included, its report to
// /dev/null) and plain-transfer (tests/bench/plain_transfer.c: the same transfer
// and byte check in plain C). Prints the medians and the throughput ratio
// (PipeScope / plain C; the goal is 0.95 or better) for each chunk size.
//
//   pipescope-bench-vs-c [--total 1G] [--chunks 4K,64K] [--rounds 5]
#include "benchprocess.h"
#include "core/model/paramspec.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace pipescope;
using bench::median;
using bench::timeProcess;

namespace
{

/// Runs both programs `rounds` times at one chunk size, alternating which goes
/// first; prints and returns the ratio of medians, or -1 when a run failed.
double compare(const std::string &cli, const std::string &plain, std::int64_t total, std::int64_t chunk, int rounds)
{
    const std::string t = formatSize(total), c = formatSize(chunk);
    const std::vector<std::string> cliArgs
        = {cli, "run", "large-transfer", "--set", "total=" + t, "--set", "chunk=" + c};
    const std::vector<std::string> plainArgs = {plain, t, c};
    std::vector<double> cliTimes, plainTimes, pairRatios, cliCpu, plainCpu;
    std::printf("%s in %s chunks, %d rounds, alternating\n", t.c_str(), c.c_str(), rounds);
    for (int r = 0; r < rounds; ++r) {
        // Which goes first alternates: neither always gets the warmer cache.
        bench::ProcessTimes ta, tb;
        if (r % 2 == 0) {
            ta = timeProcess(cliArgs);
            tb = timeProcess(plainArgs);
        } else {
            tb = timeProcess(plainArgs);
            ta = timeProcess(cliArgs);
        }
        const double a = ta.wall, b = tb.wall;
        if (a <= 0 || b <= 0) {
            std::fprintf(stderr, "pipescope-bench-vs-c: round %d failed (%s did not exit 0)\n", r + 1,
                a <= 0 ? "pipescope-cli" : "plain-transfer");
            return -1;
        }
        cliTimes.push_back(a);
        plainTimes.push_back(b);
        pairRatios.push_back(b / a);
        cliCpu.push_back(ta.cpu);
        plainCpu.push_back(tb.cpu);
        std::printf(
            "round %d: pipescope-cli %.3f s (cpu %.3f s), plain C %.3f s (cpu %.3f s)\n", r + 1, a, ta.cpu, b, tb.cpu);
        std::fflush(stdout);
    }
    const double mib = static_cast<double>(total) / (1 << 20);
    const double ratio = median(plainTimes) / median(cliTimes);
    std::printf("median pipescope-cli %8.3f s %8.1f MiB/s, cpu %.3f s\n", median(cliTimes), mib / median(cliTimes),
        median(cliCpu));
    std::printf("median plain C       %8.3f s %8.1f MiB/s, cpu %.3f s\n", median(plainTimes), mib / median(plainTimes),
        median(plainCpu));
    std::printf("ratio pipescope/plain C at %s: %.3f (median of per-round ratios %.3f); goal >= 0.95\n", c.c_str(),
        ratio, median(pairRatios));
    return ratio;
}

} // namespace

int main(int argc, char **argv)
{
    std::int64_t total = std::int64_t {1} << 30;
    std::vector<std::int64_t> chunks = {4096, 65536};
    int rounds = 5;
    bool ok = argc % 2 == 1;
    for (int i = 1; ok && i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--total") {
            total = parseSize(value).value_or(-1);
        } else if (key == "--chunks") {
            chunks.clear();
            for (std::size_t from = 0; from <= value.size();) {
                const std::size_t comma = std::min(value.find(',', from), value.size());
                chunks.push_back(parseSize(value.substr(from, comma - from)).value_or(-1));
                from = comma + 1;
            }
        } else if (key == "--rounds") {
            rounds = std::atoi(value.c_str());
        } else {
            ok = false;
        }
    }
    ok = ok && total > 0 && total <= (std::int64_t {1} << 30) && rounds > 0
        && std::all_of(chunks.begin(), chunks.end(), [](std::int64_t c) { return c > 0 && c <= (1 << 20); });
    if (!ok) {
        std::fprintf(stderr, "usage: pipescope-bench-vs-c [--total SIZE<=1G] [--chunks SIZE,...] [--rounds N]\n");
        return 2;
    }
    const char *cli = std::getenv("PIPESCOPE_CLI");
    const std::string cliPath = cli && *cli ? cli : PIPESCOPE_BENCH_CLI;
    std::vector<std::string> summary;
    for (const std::int64_t chunk : chunks) {
        const double ratio = compare(cliPath, PIPESCOPE_BENCH_PLAIN, total, chunk, rounds);
        if (ratio < 0)
            return 1;
        char line[96];
        std::snprintf(line, sizeof line, "%s: %.3f", formatSize(chunk).c_str(), ratio);
        summary.push_back(line);
    }
    std::string joined;
    for (const std::string &s : summary)
        joined += (joined.empty() ? "" : ", ") + s;
    std::printf("ratio pipescope/plain C: %s\n", joined.c_str());
    return 0;
}
