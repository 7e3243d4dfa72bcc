/* The parent forks a child and exits without waiting for it. The child reads
 * a pipe whose only write end the parent holds, so it gets EOF exactly when
 * the parent is gone, and exits an orphan: whoever traces it must reap it. */
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 100;
    if (fork() == 0) {
        close(fds[1]);
        char c;
        _exit(read(fds[0], &c, 1) == 0 ? 0 : 101);
    }
    close(fds[0]);
    return 0;
}
