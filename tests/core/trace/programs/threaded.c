/* One process, two threads: a second thread writes "hello" into a pipe that
 * the main thread reads. Threads are threads of their process, not processes. */
#include <pthread.h>
#include <unistd.h>

static int fds[2];

static void *writer(void *arg)
{
    (void)arg;
    if (write(fds[1], "hello", 5) != 5)
        return (void *)1;
    close(fds[1]);
    return 0;
}

int main(void)
{
    if (pipe(fds) != 0)
        return 100;
    pthread_t thread;
    if (pthread_create(&thread, 0, writer, 0) != 0)
        return 101;
    char buf[64];
    ssize_t n, total = 0;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        total += n;
    void *result = 0;
    pthread_join(thread, &result);
    return total == 5 && result == 0 ? 0 : 102;
}
