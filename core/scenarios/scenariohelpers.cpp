#include "core/scenarios/scenarios.h"

#include "core/run/tracee.h"

#include <sys/wait.h>

namespace pipescope
{

std::string readUntilEof(Tracee &self, int fd, std::size_t chunk)
{
    std::string out;
    std::string buf(chunk, '\0');
    for (;;) {
        const ssize_t n = self.read(fd, buf.data(), buf.size());
        if (n <= 0)
            return out;
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
}

int reapChild(Tracee &self, int pid)
{
    int status = 0;
    if (self.waitpid(pid, &status) != pid)
        return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int expectEqual(Tracee &self, const std::string &what, const std::string &got, const std::string &want)
{
    if (got == want) {
        self.note(what + ": all " + std::to_string(got.size()) + " bytes arrived intact");
        return 0;
    }
    self.note(
        what + ": MISMATCH, got " + std::to_string(got.size()) + " bytes, expected " + std::to_string(want.size()));
    return 1;
}

} // namespace pipescope
