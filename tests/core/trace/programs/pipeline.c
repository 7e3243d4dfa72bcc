/* A parent, a writer child and a reader child joined by one pipe: the writer
 * sends "hello" (5 bytes), the reader reads until EOF, the parent closes both
 * ends and reaps both. Exits with argv[1] (default 0). Test input for tst_tracer. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 100;
    const pid_t writer = fork();
    if (writer == 0) {
        close(fds[0]);
        if (write(fds[1], "hello", 5) != 5)
            _exit(101);
        _exit(0);
    }
    const pid_t reader = fork();
    if (reader == 0) {
        close(fds[1]);
        char buf[64];
        ssize_t n;
        while ((n = read(fds[0], buf, sizeof buf)) > 0) { }
        _exit(n == 0 ? 0 : 102);
    }
    close(fds[0]);
    close(fds[1]);
    int status = 0;
    waitpid(writer, &status, 0);
    waitpid(reader, &status, 0);
    return argc > 1 ? atoi(argv[1]) : 0;
}
