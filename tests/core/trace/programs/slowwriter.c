/* Writes COUNT chunks of SIZE bytes ('x') to stdout, INTERVAL_MS apart, then
 * exits 0: a pipeline stage that runs long enough to be attached to, whose
 * byte count the tests know (size * count). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    const size_t size = (size_t)atol(argv[1]);
    const long interval = atol(argv[2]);
    const long count = atol(argv[3]);
    char *chunk = malloc(size);
    if (!chunk)
        return 1;
    memset(chunk, 'x', size);
    for (long i = 0; i < count; ++i) {
        size_t done = 0;
        while (done < size) {
            const ssize_t n = write(1, chunk + done, size - done);
            if (n < 0 && errno == EINTR)
                continue; /* an attach's interrupt, or a signal: go on */
            if (n < 0)
                return 1;
            done += (size_t)n;
        }
        struct timespec ts = {interval / 1000, (interval % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) { }
    }
    free(chunk);
    return 0;
}
