// pipescope-bench: the same transfer with and without PipeScope's instrumentation,
// alternating in one run, so the machine's noise hits both alike. Prints medians
// and the throughput ratio (instrumented / plain; the target is 0.95 or better).
//
//   pipescope-bench [--total 1G] [--chunk 4K] [--rounds 5]
#include "core/model/paramspec.h"
#include "core/model/runstate.h"
#include "core/scenarios/transferpattern.h"
#include "core/session/runsession.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace pipescope;

namespace
{

double nowSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// The large-transfer scenario's work with plain syscalls: fork, write the
/// pattern in chunks, read and verify it in the child, wait.
double plainTransfer(std::int64_t total, std::size_t chunk, const TransferPattern &pattern)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    std::fflush(nullptr); // stdio buffers would be duplicated by fork
    const double start = nowSeconds();
    const pid_t child = fork();
    if (child == 0) {
        close(fds[1]);
        std::vector<unsigned char> buf(chunk);
        std::int64_t received = 0;
        bool intact = true;
        for (;;) {
            const ssize_t n = read(fds[0], buf.data(), buf.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            intact &= pattern.matches(static_cast<std::uint64_t>(received), buf.data(), static_cast<std::size_t>(n));
            received += n;
        }
        _exit(intact && received == total ? 0 : 1);
    }
    close(fds[0]);
    for (std::int64_t sent = 0; sent < total;) {
        const auto n = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(chunk), total - sent));
        const ssize_t w = write(fds[1], pattern.at(static_cast<std::uint64_t>(sent)), n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        sent += w;
    }
    close(fds[1]);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    const double elapsed = nowSeconds() - start;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? elapsed : -1;
}

struct Instrumented {
    double transfer = -1; ///< parent's fork to its waitpid, from the events' own clock
    double endToEnd = -1; ///< including starting and ending the runner
};

Instrumented instrumentedTransfer(std::int64_t total, std::size_t chunk)
{
    RunRequest request;
    request.scenario = "large-transfer";
    request.assignments = {{"total", std::to_string(total)}, {"chunk", std::to_string(chunk)}};
    std::string error;
    const double start = nowSeconds();
    auto session = RunSession::start(request, &error);
    if (!session) {
        std::fprintf(stderr, "pipescope-bench: %s\n", error.c_str());
        return {};
    }
    std::vector<Event> batch;
    std::int64_t forkNs = 0;
    std::int64_t waitNs = 0;
    while (session->waitForEvents(&batch, 1000) || !batch.empty()) {
        for (const Event &e : batch) {
            if (e.kind == EventKind::Fork && forkNs == 0)
                forkNs = e.startNs;
            if (e.kind == EventKind::Wait)
                waitNs = e.timeNs;
        }
        batch.clear();
    }
    Instrumented out;
    out.endToEnd = nowSeconds() - start;
    RunState state;
    state.applyCounters(session->shared());
    const bool intact
        = session->outcome() == OutcomeOk && !state.pipes().empty() && state.pipes().front().read == total;
    if (!intact || forkNs == 0 || waitNs == 0)
        return {};
    out.transfer = static_cast<double>(waitNs - forkNs) / 1e9;
    return out;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    std::int64_t total = std::int64_t {1} << 30;
    std::int64_t chunk = 4096;
    int rounds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--total")
            total = parseSize(argv[i + 1]).value_or(-1);
        else if (key == "--chunk")
            chunk = parseSize(argv[i + 1]).value_or(-1);
        else if (key == "--rounds")
            rounds = std::atoi(argv[i + 1]);
        else
            total = -1;
    }
    if (total <= 0 || chunk <= 0 || chunk > (1 << 20) || rounds <= 0 || argc % 2 == 0) {
        std::fprintf(stderr, "usage: pipescope-bench [--total SIZE] [--chunk SIZE<=1M] [--rounds N]\n");
        return 2;
    }
    const TransferPattern pattern(static_cast<std::size_t>(chunk));
    std::vector<double> plain, transfer, endToEnd, pairRatios;
    std::printf(
        "%s in %s chunks, %d rounds, alternating\n", formatSize(total).c_str(), formatSize(chunk).c_str(), rounds);
    for (int r = 0; r < rounds; ++r) {
        const double p = plainTransfer(total, static_cast<std::size_t>(chunk), pattern);
        const Instrumented i = instrumentedTransfer(total, static_cast<std::size_t>(chunk));
        if (p <= 0 || i.transfer <= 0) {
            std::fprintf(stderr, "pipescope-bench: round %d failed (bytes lost or a run did not finish)\n", r + 1);
            return 1;
        }
        plain.push_back(p);
        transfer.push_back(i.transfer);
        endToEnd.push_back(i.endToEnd);
        pairRatios.push_back(p / i.transfer); // neighbours share the machine's mood

        std::printf(
            "round %d: plain %.3f s, instrumented %.3f s (end to end %.3f s)\n", r + 1, p, i.transfer, i.endToEnd);
        std::fflush(stdout);
    }
    const double mib = static_cast<double>(total) / (1 << 20);
    std::printf("median plain         %8.1f MiB/s\n", mib / median(plain));
    std::printf("median instrumented  %8.1f MiB/s (transfer), %8.1f MiB/s (end to end, runner start included)\n",
        mib / median(transfer), mib / median(endToEnd));
    std::printf("ratio instrumented/plain: %.3f (transfer), %.3f (end to end); target >= 0.95\n",
        median(plain) / median(transfer), median(plain) / median(endToEnd));
    std::printf("median of per-round ratios: %.3f\n", median(pairRatios));
    return 0;
}
