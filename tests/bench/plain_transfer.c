/* plain-transfer TOTAL CHUNK: the outside reference for pipescope-bench-vs-c.
 * The large-transfer scenario's work written as anyone would write it in C,
 * with nothing of PipeScope: a pipe, a forked reader, the writer (this process)
 * writing TOTAL bytes in CHUNK-byte writes, the reader reading CHUNK-byte reads
 * and checking every byte against the same pattern (core/scenarios/
 * transferpattern.cpp: xorshift32 bytes with a prime period of 65521, indexed by
 * stream offset). Exit 0 when every byte arrived intact, 1 otherwise, 2 on bad
 * arguments. Sizes take K, M or G (binary), as the scenario's parameters do. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kPeriod = 65521 };

static long long parse_size(const char *text)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || value <= 0)
        return -1;
    switch (*end) {
    case 'K':
    case 'k':
        value <<= 10;
        ++end;
        break;
    case 'M':
    case 'm':
        value <<= 20;
        ++end;
        break;
    case 'G':
    case 'g':
        value <<= 30;
        ++end;
        break;
    default: break;
    }
    return *end == '\0' ? value : -1;
}

/* The pattern, plus one chunk more so that any offset's chunk is contiguous. */
static unsigned char *make_pattern(size_t chunk)
{
    unsigned char *table = malloc(kPeriod + chunk);
    uint32_t x = 2463534242u;
    if (!table)
        return NULL;
    for (size_t i = 0; i < kPeriod; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        table[i] = (unsigned char)x;
    }
    for (size_t i = kPeriod; i < kPeriod + chunk; ++i)
        table[i] = table[i - kPeriod];
    return table;
}

static int reader(int fd, long long total, size_t chunk, const unsigned char *pattern)
{
    unsigned char *buf = malloc(chunk);
    long long received = 0, bad_reads = 0;
    if (!buf)
        return 1;
    for (;;) {
        ssize_t n = read(fd, buf, chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        bad_reads += memcmp(pattern + received % kPeriod, buf, (size_t)n) != 0;
        received += n;
    }
    return received == total && bad_reads == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    long long total = argc == 3 ? parse_size(argv[1]) : -1;
    long long chunk = argc == 3 ? parse_size(argv[2]) : -1;
    if (total <= 0 || chunk <= 0 || chunk > (1 << 20)) {
        fprintf(stderr, "usage: plain-transfer TOTAL CHUNK (sizes like 1G and 4K; CHUNK at most 1M)\n");
        return 2;
    }
    const unsigned char *pattern = make_pattern((size_t)chunk);
    int fds[2];
    if (!pattern || pipe(fds) < 0)
        return 1;
    pid_t child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        close(fds[1]);
        _exit(reader(fds[0], total, (size_t)chunk, pattern));
    }
    close(fds[0]);
    long long sent = 0;
    while (sent < total) {
        size_t n = (size_t)(total - sent < chunk ? total - sent : chunk);
        const unsigned char *from = pattern + sent % kPeriod;
        /* Like Tracee::writeAll: a partial write is finished before the next chunk. */
        for (size_t done = 0; done < n;) {
            ssize_t w = write(fds[1], from + done, n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto out;
            done += (size_t)w;
        }
        sent += (long long)n;
    }
out:
    close(fds[1]);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && sent == total ? 0 : 1;
}
