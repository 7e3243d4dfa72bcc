/* Classic mistake: printf before fork while stdout is a pipe.
 *
 * Into a pipe (or a file) stdout is fully buffered: printf only copies the line
 * into this process's stdio buffer. fork copies the buffer with the process, so
 * both parent and child write the same line when they exit, and it comes out
 * twice. On a terminal stdout is line-buffered and the line comes out once.
 * The fix: fflush(stdout) before fork.
 *
 *   cc -o printf_before_fork printf_before_fork.c && ./printf_before_fork | cat
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("printed once, before fork\n");
    const pid_t pid = fork();
    if (pid == 0)
        return 0; /* exit flushes the child's copy of the buffer */
    waitpid(pid, NULL, 0);
    return 0; /* and the parent's copy */
}
