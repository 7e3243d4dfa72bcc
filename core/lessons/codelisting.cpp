#include "core/lessons/codelisting.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

namespace pipescope
{

namespace
{

struct Source {
    const char *scenario;
    const char *role;
    const char *title;
    const char *text;
};

// Each listing follows core/scenarios/<name>scenario.cpp call for call. A
// trailing $Kind names the Tracee call the line makes; helper loops such as
// writeAll and readUntilEof are written out as the loops they are.
const Source kSources[] = {
    {"simple", "parent", "parent: one process, both ends", R"(int main(void)
{
    const char msg[] = "Hello, pipe!";
    char buf[sizeof msg];
    int fd[2];                  /* fd[0]: read end, fd[1]: write end */
    pipe(fd);                                            $PipeCreated
    write(fd[1], msg, strlen(msg));                      $Write
    ssize_t n = read(fd[0], buf, strlen(msg));           $Read
    close(fd[1]);                                        $Close
    close(fd[0]);                                        $Close
    return n == strlen(msg) && memcmp(buf, msg, n) == 0 ? 0 : 1;
})"},

    {"parent-child", "parent", "parent: writes, then closes", R"(int main(void)
{
    const char msg[] = "Hello child process!";
    size_t len = strlen(msg), off;
    ssize_t n;
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(fd);       /* the child's listing */
    close(fd[0]);               /* we only write */      $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], msg + off, len - off);          $Write $end
    close(fd[1]);               /* child's read -> 0 */  $Close
    int status;
    waitpid(pid, &status, 0);                            $Wait
    return WEXITSTATUS(status);
})"},
    {"parent-child", "child", "child: reads until EOF", R"(int child(int fd[2])
{
    char buf[256];
    ssize_t n;
    close(fd[1]);   /* else our own write end keeps EOF away */   $Close
    while ((n = read(fd[0], buf, sizeof buf)) > 0)       $Read $loop $end
        append(got, buf, n);
    close(fd[0]);               /* read returned 0: EOF */   $Close
    return strcmp(got, "Hello child process!") != 0;
})"},

    {"bidirectional", "parent", "parent: request down, reply up", R"(int main(void)
{
    int down[2], up[2];         /* parent -> child, child -> parent */
    pipe(down);                                          $PipeCreated
    pipe(up);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(down, up);
    close(down[0]);                                      $Close
    close(up[1]);                                        $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(down[1], req + off, len - off);        $Write $end
    close(down[1]);             /* child sees EOF */     $Close
    while ((n = read(up[0], buf, sizeof buf)) > 0)       $Read $loop $end
        append(answer, buf, n);
    close(up[0]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return strcmp(answer, "pong from child") != 0;
})"},
    {"bidirectional", "child", "child: reads all, then answers", R"(int child(int down[2], int up[2])
{
    close(down[1]);                                      $Close
    close(up[0]);                                        $Close
    while ((n = read(down[0], buf, sizeof buf)) > 0)     $Read $loop $end
        append(got, buf, n);
    close(down[0]);                                      $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(up[1], reply + off, len - off);        $Write $end
    close(up[1]);               /* parent sees EOF */    $Close
    return strcmp(got, "ping from parent") != 0;
})"},

    {"subprocess", "parent", "parent: feeds cat, reads its output", R"(int main(void)
{
    int to[2], from[2], status[2];
    pipe(to);                   /* parent -> cat's stdin */    $PipeCreated
    pipe(from);                 /* cat's stdout -> parent */   $PipeCreated
    pipe2(status, O_CLOEXEC);   /* exec's errno, or EOF */     $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(to, from, status);
    close(to[0]);                                        $Close
    close(from[1]);                                      $Close
    close(status[1]);                                    $Close
    n = read(status[0], &err, sizeof err);  /* 0: exec worked */   $Read
    close(status[0]);                                    $Close
    if (n > 0)
        return fail(pid, err);  /* closes to[1], from[0]; waitpid */
    for (off = 0; off < len; off += n)                   $loop
        n = write(to[1], msg + off, len - off);          $Write $end
    close(to[1]);               /* cat sees EOF on stdin */    $Close
    while ((n = read(from[0], buf, sizeof buf)) > 0)     $Read $loop $end
        append(output, buf, n);
    close(from[0]);                                      $Close
    waitpid(pid, &st, 0);                                $Wait
    return strcmp(output, msg) != 0;
})"},
    {"subprocess", "*", "child: becomes cat (execvp)", R"(int child(int to[2], int from[2], int status[2])
{
    dup2(to[0], STDIN_FILENO);      /* fd 0 = the pipe */    $Dup2
    dup2(from[1], STDOUT_FILENO);   /* fd 1 = the pipe */    $Dup2
    close(to[0]);                                        $Close
    close(to[1]);                                        $Close
    close(from[0]);                                      $Close
    close(from[1]);                                      $Close
    close(status[0]);                                    $Close
    char *argv[] = {"cat", NULL};
    execvp(argv[0], argv);  /* from here on: cat, unobserved */  $Exec
    int err = errno;        /* only when exec failed */
    write(status[1], &err, sizeof err);
    _exit(127);
})"},

    {"nonblocking", "parent", "parent: polls with O_NONBLOCK", R"(int main(void)
{
    char buf[4096];
    int fd[2];
    pipe2(fd, O_NONBLOCK);                               $PipeCreated
    read(fd[0], buf, sizeof buf);   /* empty: -1 EAGAIN */   $Read
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return writer(fd);
    close(fd[1]);                                        $Close
    for (;;) {                                           $loop
        ssize_t n = read(fd[0], buf, sizeof buf);        $Read
        if (n > 0)
            append(got, buf, n);
        else if (n < 0 && errno == EAGAIN)
            usleep(100 * 1000);     /* nothing yet */    $Sleep
        else
            break;                  /* 0: EOF */
    }                                                    $end
    close(fd[0]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return strcmp(got, "data has arrived") != 0;
})"},
    {"nonblocking", "writer", "writer: waits, then writes", R"(int writer(int fd[2])
{
    const char msg[] = "data has arrived";
    close(fd[0]);                                        $Close
    usleep(300 * 1000);                                  $Sleep
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], msg + off, len - off);          $Write $end
    close(fd[1]);                                        $Close
    return 0;
})"},

    {"select", "parent", "parent: select over the read ends", R"(int main(void)
{
    pipe(release);      /* writers wait for its EOF */   $PipeCreated
    for (i = 0; i < npipes; i++) {                       $loop
        pipe(p);                                         $PipeCreated
        pid[i] = fork();                                 $Fork
        if (pid[i] == 0)
            return writer(i, p, release, rfd);
        close(p[1]);                                     $Close
        rfd[i] = p[0];
    }                                                    $end
    close(release[0]);                                   $Close
    while (seen < expected) {                            $loop
        fd_set set = watching;
        select(maxfd + 1, &set, NULL, NULL, &timeout);   $Select
        for (fd = 0; fd <= maxfd; fd++)                  $loop
            if (FD_ISSET(fd, &set))
                read(fd, buf, len), seen++;              $Read $end $end
    }
    /* a last look, timeout 0: the others are still not ready */
    select(maxfd + 1, &rest, NULL, NULL, &zero);         $Select=0
    close(release[1]);  /* every writer's read gets 0 */ $Close
    for (i = 0; i < npipes; i++)                         $loop
        waitpid(pid[i], &st, 0);                         $Wait $end
    for (i = 0; i < npipes; i++)                         $loop
        close(rfd[i]);                                   $Close $end
    return 0;
})"},
    {"select", "writer", "writer i: maybe writes, then waits", R"(int writer(int i, int p[2], int release[2], int rfd[])
{
    close(release[1]);                                   $Close
    close(p[0]);                                         $Close
    for (j = 0; j < i; j++)                              $loop
        close(rfd[j]);      /* earlier pipes' read ends */   $Close $end
    if (sends)
        write(p[1], "ready!", 6);                        $Write
    read(release[0], &c, 1);    /* 0 when parent lets go */  $Read
    close(release[0]);                                   $Close
    close(p[1]);                                         $Close
    return 0;
})"},

    {"large-transfer", "parent", "parent: the writer", R"(int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    if (capacity > 0)
        fcntl(fd[1], F_SETPIPE_SZ, capacity);            $SetPipeSize
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return reader(fd);
    close(fd[0]);                                        $Close
    for (sent = 0; sent < total; sent += n)              $loop
        /* sleeps in the kernel while the pipe is full */
        n = write(fd[1], pattern + sent % P, chunk);     $Write $end
    close(fd[1]);               /* reader sees EOF */    $Close
    waitpid(pid, &status, 0);                            $Wait
    return WEXITSTATUS(status);
})"},
    {"large-transfer", "reader", "reader: checks every byte", R"(int reader(int fd[2])
{
    close(fd[1]);                                        $Close
    for (;;) {                                           $loop
        ssize_t n = read(fd[0], buf, chunk);             $Read
        if (n <= 0)
            break;              /* 0: EOF */
        bad += !matches(pattern, received, buf, n);
        received += n;
        if (delay_ms > 0)
            usleep(delay_ms * 1000);                     $Sleep
    }                                                    $end
    close(fd[0]);                                        $Close
    return received == total && bad == 0 ? 0 : 1;
})"},

    {"no-close-eof", "parent", "parent: forgets close(fd[1])", R"(int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(fd);
    close(fd[0]);                                        $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], msg + off, len - off);          $Write $end
    if (fixed)
        close(fd[1]);           /* the last write end */ $Close
    /* not fixed: fd[1] stays open, so the child never reads 0 */
    waitpid(pid, &status, 0);   /* waits for ever */     $Wait
    if (!fixed)
        close(fd[1]);           /* never reached */      $Close
    return WEXITSTATUS(status);
})"},
    {"no-close-eof", "child", "child: waits for EOF", R"(int child(int fd[2])
{
    close(fd[1]);               /* the child does its part */   $Close
    while ((n = read(fd[0], buf, sizeof buf)) > 0)       $Read $loop $end
        append(got, buf, n);
    /* read returned 0: every write end is closed */
    close(fd[0]);                                        $Close
    return strcmp(got, msg) != 0;
})"},

    {"epipe", "parent", "parent: starts a reader and a writer", R"(int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t reader = fork();                               $Fork
    if (reader == 0)
        return reader_main(fd);
    pid_t writer = fork();                               $Fork
    if (writer == 0)
        return writer_main(fd);
    close(fd[0]);                                        $Close
    close(fd[1]);                                        $Close
    waitpid(reader, &rst, 0);                            $Wait
    waitpid(writer, &wst, 0);   /* SIGPIPE killed it? */ $Wait
    return WIFEXITED(wst) && WEXITSTATUS(wst) == 0 ? 0 : 1;
})"},
    {"epipe", "reader", "reader: quits early", R"(int reader_main(int fd[2])
{
    close(fd[1]);                                        $Close
    if (!fixed)
        n = read(fd[0], buf, 4096);  /* one read, then quit */   $Read
    else
        while ((n = read(fd[0], buf, 65536)) > 0)        $Read=65536 $loop $end
            got += n;
    close(fd[0]);               /* no read end left */   $Close
    return 0;
})"},
    {"epipe", "writer", "writer: writes into a pipe nobody reads", R"(int writer_main(int fd[2])
{
    close(fd[0]);                                        $Close
    if (ignore_sigpipe)
        signal(SIGPIPE, SIG_IGN);
    while (sent < total) {                               $loop
        /* no reader left: SIGPIPE kills us, or -1 EPIPE */
        ssize_t r = write(fd[1], chunk, 65536);          $Write
        if (r < 0)
            break;
        sent += r;
    }                                                    $end
    close(fd[1]);                                        $Close
    return sent == total ? 0 : 1;
})"},

    {"capacity", "parent", "parent: the writer fills the pipe", R"(int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    long cap = fcntl(fd[1], F_SETPIPE_SZ, capacity);     $SetPipeSize
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return reader(fd);
    close(fd[0]);                                        $Close
    for (sent = 0; sent < 2 * cap; sent += n) {          $loop
        ioctl(fd[1], FIONREAD, &in_pipe);   /* bytes in it now */
        /* blocks while the pipe holds cap bytes */
        n = write(fd[1], data, chunk);                   $Write
    }                                                    $end
    close(fd[1]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return WEXITSTATUS(status);
})"},
    {"capacity", "reader", "reader: starts late", R"(int reader(int fd[2])
{
    close(fd[1]);                                        $Close
    if (!fixed)
        usleep(1500 * 1000);    /* meanwhile the pipe fills */   $Sleep
    while ((n = read(fd[0], buf, 65536)) > 0)            $Read $loop $end
        got += n;
    close(fd[0]);                                        $Close
    return got == total ? 0 : 1;
})"},

    {"deadlock", "parent", "parent: writes everything before reading", R"(int main(void)
{
    int down[2], up[2];         /* parent -> child, child -> parent */
    pipe(down);                                          $PipeCreated
    pipe(up);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(down, up);
    close(down[0]);                                      $Close
    close(up[1]);                                        $Close
    for (off = 0; off < bytes; off += n)                 $loop
        n = write(down[1], req + off, chunk);  /* blocks when full */   $Write $end
    close(down[1]);                                      $Close
    while ((n = read(up[0], buf, 65536)) > 0)            $Read $loop $end
        got += n;
    close(up[0]);                                        $Close
    waitpid(pid, &status, 0);                            $Wait
    return got == bytes ? 0 : 1;
})"},
    {"deadlock", "child", "child: also writes first (unless fixed)", R"(int child(int down[2], int up[2])
{
    close(down[1]);                                      $Close
    close(up[0]);                                        $Close
    if (fixed)
        while ((n = read(down[0], buf, 65536)) > 0)      $Read $loop $end
            got += n;           /* read first: the parent can finish */
    for (off = 0; off < bytes; off += n)                 $loop
        n = write(up[1], ans + off, chunk);  /* blocks when full */   $Write $end
    if (!fixed)
        while ((n = read(down[0], buf, 65536)) > 0)      $Read $loop $end
            got += n;           /* never reached: both block in write */
    close(up[1]);                                        $Close
    close(down[0]);                                      $Close
    return got == bytes ? 0 : 1;
})"},

    {"fd-leak-exec", "parent", "parent: a pipe without O_CLOEXEC", R"(int main(void)
{
    pipe2(data, fixed ? O_CLOEXEC : 0);  /* the pipe that leaks */   $PipeCreated
    pipe2(feed, O_CLOEXEC);     /* cat's stdin */        $PipeCreated
    pipe2(status, O_CLOEXEC);   /* exec's errno, or EOF */   $PipeCreated
    pid_t cat = fork();                                  $Fork
    if (cat == 0)
        return cat_main(feed, status);
    close(feed[0]);                                      $Close
    close(status[1]);                                    $Close
    n = read(status[0], &err, sizeof err);  /* 0: exec worked */   $Read
    close(status[0]);                                    $Close
    pid_t reader = fork();                               $Fork
    if (reader == 0)
        return reader_main(data, feed);
    close(data[0]);                                      $Close
    write(data[1], msg, strlen(msg));                    $Write
    close(data[1]);     /* but cat still holds a copy */ $Close
    waitpid(reader, &st, 0);    /* the reader waits for EOF */   $Wait
    close(feed[1]);             /* cat sees EOF, exits */    $Close
    waitpid(cat, &st, 0);                                $Wait
    return 0;
})"},
    {"fd-leak-exec", "cat", "cat: inherits what it does not know", R"(int cat_main(int feed[2], int status[2])
{
    dup2(feed[0], STDIN_FILENO);                         $Dup2
    close(feed[0]);                                      $Close
    close(feed[1]);                                      $Close
    close(status[0]);                                    $Close
    /* data[0], data[1]: not touched, this code does not know them */
    char *argv[] = {"cat", NULL};
    execvp("cat", argv);  /* keeps every fd without O_CLOEXEC */   $Exec
    write(status[1], &errno, sizeof errno);
    _exit(127);
})"},
    {"fd-leak-exec", "reader", "reader: waits for an EOF cat denies", R"(int reader_main(int data[2], int feed[2])
{
    close(data[1]);                                      $Close
    close(feed[1]);                                      $Close
    while ((n = read(data[0], buf, sizeof buf)) > 0)     $Read $loop $end
        append(got, buf, n);
    close(data[0]);                                      $Close
    return strcmp(got, msg) != 0;
})"},

    {"atomic-writes", "parent", "parent: reads and counts splits", R"(int main(void)
{
    int p[2], start[2];
    pipe(p);                    /* shared by every writer */ $PipeCreated
    pipe(start);                /* its EOF means "go" */ $PipeCreated
    for (w = 0; w < writers; w++) {                      $loop
        pid[w] = fork();                                 $Fork
        if (pid[w] == 0)
            return writer('A' + w, p, start);
    }                                                    $end
    close(p[1]);                                         $Close
    close(start[0]);                                     $Close
    close(start[1]);            /* every writer: go */   $Close
    while ((n = read(p[0], buf, 65536)) > 0)             $Read $loop $end
        splits += count_runs(buf, n, size);  /* a run ending mid-record */
    close(p[0]);                                         $Close
    for (w = 0; w < writers; w++)                        $loop
        waitpid(pid[w], &st, 0);                         $Wait $end
    return splits == 0 ? 0 : 1;
})"},
    {"atomic-writes", "writer", "writer X: one write() per record", R"(int writer(char letter, int p[2], int start[2])
{
    close(p[0]);                                         $Close
    close(start[1]);                                     $Close
    read(start[0], &c, 1);      /* waits for "go" (EOF) */   $Read
    close(start[0]);                                     $Close
    memset(record, letter, size);   /* every byte names its writer */
    for (r = 0; r < records; r++)                        $loop
        write(p[1], record, size);  /* atomic if <= PIPE_BUF */   $Write $end
    close(p[1]);                                         $Close
    return 0;
})"},

    {"zombie", "parent", "parent: waits late", R"(int main(void)
{
    int fd[2];
    pipe(fd);                                            $PipeCreated
    pid_t pid = fork();                                  $Fork
    if (pid == 0)
        return child(fd);
    close(fd[1]);                                        $Close
    while ((n = read(fd[0], buf, 256)) > 0)              $Read $loop $end
        ;                       /* EOF: the child is exiting */
    close(fd[0]);                                        $Close
    if (!fixed)
        usleep(1500 * 1000);    /* child: state Z, a zombie */   $Sleep
    waitpid(pid, &status, 0);   /* reaps it: /proc/PID goes */   $Wait
    return WEXITSTATUS(status);
})"},
    {"zombie", "child", "child: says goodbye and exits", R"(int child(int fd[2])
{
    const char bye[] = "done, exiting now";
    close(fd[0]);                                        $Close
    for (off = 0; off < len; off += n)                   $loop
        n = write(fd[1], bye + off, len - off);          $Write $end
    close(fd[1]);                                        $Close
    return 0;                   /* exits: a zombie until waited for */
})"},
};

/// The EventKind spelled as in event.h ("PipeCreated"), for the listings' tags.
EventKind kindFromTag(std::string_view tag)
{
    static const std::pair<std::string_view, EventKind> kTags[] = {{"PipeCreated", EventKind::PipeCreated},
        {"SetPipeSize", EventKind::SetPipeSize}, {"Fork", EventKind::Fork}, {"Exec", EventKind::Exec},
        {"Dup2", EventKind::Dup2}, {"Close", EventKind::Close}, {"Write", EventKind::Write}, {"Read", EventKind::Read},
        {"Select", EventKind::Select}, {"Sleep", EventKind::Sleep}, {"Wait", EventKind::Wait}};
    for (const auto &[name, kind] : kTags) {
        if (name == tag)
            return kind;
    }
    return EventKind::Count_;
}

std::string rtrim(std::string s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    return s;
}

} // namespace

CodeProgram CodeListing::parse(std::string scenario, std::string role, std::string title, std::string_view text)
{
    CodeProgram program;
    program.scenario = std::move(scenario);
    program.role = std::move(role);
    program.title = std::move(title);
    std::vector<int> open; // first lines of loops not yet closed
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos)
            nl = text.size();
        const std::string_view raw = text.substr(at, nl - at);
        at = nl + 1;
        const int index = static_cast<int>(program.lines.size());
        CodeLine line;
        const std::size_t marks = raw.find('$');
        line.text = rtrim(std::string(raw.substr(0, marks)));
        if (marks != std::string_view::npos) {
            std::size_t i = marks;
            while (i < raw.size()) {
                if (raw[i] != '$') {
                    ++i;
                    continue;
                }
                std::size_t end = raw.find_first_of(" \t", i);
                if (end == std::string_view::npos)
                    end = raw.size();
                const std::string_view mark = raw.substr(i + 1, end - i - 1);
                i = end;
                if (mark == "loop") {
                    open.push_back(index);
                } else if (mark == "end") {
                    if (!open.empty()) {
                        program.loops.push_back({open.back(), index});
                        open.pop_back();
                    }
                } else {
                    const std::size_t eq = mark.find('=');
                    line.tag = kindFromTag(mark.substr(0, eq));
                    if (eq != std::string_view::npos) {
                        line.hasRequested = true;
                        line.requested = std::strtoll(std::string(mark.substr(eq + 1)).c_str(), nullptr, 10);
                    }
                }
            }
        }
        program.lines.push_back(std::move(line));
    }
    return program;
}

const std::vector<CodeProgram> &CodeListing::all()
{
    static const std::vector<CodeProgram> programs = [] {
        std::vector<CodeProgram> out;
        for (const Source &s : kSources)
            out.push_back(parse(s.scenario, s.role, s.title, s.text));
        return out;
    }();
    return programs;
}

std::vector<const CodeProgram *> CodeListing::programs(std::string_view scenario)
{
    std::vector<const CodeProgram *> out;
    for (const CodeProgram &p : all()) {
        if (p.scenario == scenario)
            out.push_back(&p);
    }
    return out;
}

const CodeProgram *CodeListing::find(std::string_view scenario, std::string_view role)
{
    const auto list = programs(scenario);
    const std::string_view firstWord = role.substr(0, role.find(' '));
    for (std::string_view want : {role, firstWord, std::string_view("*")}) {
        const auto it = std::find_if(list.begin(), list.end(), [&](const CodeProgram *p) { return p->role == want; });
        if (it != list.end())
            return *it;
    }
    return nullptr;
}

} // namespace pipescope
