/* Classic mistake: a two-stage pipeline whose parent never closes its pipe ends.
 *
 * The parent makes a pipe and forks a writer (like `printf`) and a reader
 * (like `wc -c`), then waits for both without closing its own copies of the
 * two ends. The writer writes and exits, but the reader never sees EOF: a
 * write end is still open, in the parent, which itself waits for the reader.
 * The last stage never ends. The fix: close both ends in the parent before waiting.
 *
 *   cc -o pipeline_open_ends pipeline_open_ends.c && ./pipeline_open_ends   (Ctrl+C to stop it)
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    if (fork() == 0) { /* the writer */
        close(fds[0]);
        if (write(fds[1], "some data\n", 10) != 10)
            _exit(1);
        _exit(0);
    }
    if (fork() == 0) { /* the reader: counts bytes until EOF */
        close(fds[1]);
        char buf[4096];
        ssize_t n;
        long total = 0;
        while ((n = read(fds[0], buf, sizeof buf)) > 0)
            total += n;
        printf("reader: %ld bytes, then EOF\n", total);
        _exit(0);
    }
    /* The mistake: fds[0] and fds[1] stay open here. */
    while (wait(NULL) > 0) { }
    return 0;
}
