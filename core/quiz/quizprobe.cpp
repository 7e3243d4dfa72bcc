#include "core/quiz/quizprobe.h"

#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace pipescope
{

std::optional<bool> QuizProbe::sigpipeIgnored(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("SigIgn:", 0) != 0)
            continue;
        const unsigned long long mask = std::strtoull(line.c_str() + 7, nullptr, 16);
        return (mask >> (SIGPIPE - 1) & 1) != 0;
    }
    return std::nullopt;
}

long QuizProbe::asleepIn(pid_t pid)
{
    const std::string base = "/proc/" + std::to_string(pid);
    std::ifstream stat(base + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto paren = text.rfind(')');
    if (paren == std::string::npos || paren + 2 >= text.size())
        return -1;
    const char state = text[paren + 2];
    if (state != 'S' && state != 'D')
        return -1;
    std::ifstream sc(base + "/syscall");
    std::string nr;
    if (!(sc >> nr) || nr == "running")
        return -1;
    return std::strtol(nr.c_str(), nullptr, 10);
}

bool QuizProbe::isPipe(pid_t pid, int fd)
{
    struct stat st {
    };
    const std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    return stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

} // namespace pipescope
