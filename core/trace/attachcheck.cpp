#include "core/trace/attachcheck.h"

#include "core/watch/procreader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace pipescope
{

namespace
{

/// A "Name:\tvalue" line of /proc/PID/status.
std::string statusField(pid_t pid, const std::string &name)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(name + ":", 0) == 0) {
            const auto value = line.find_first_not_of(" \t", name.size() + 1);
            return value == std::string::npos ? std::string() : line.substr(value);
        }
    }
    return {};
}

std::string comm(pid_t pid)
{
    const auto s = ProcReader::stat(pid);
    return s ? s->comm : std::string("?");
}

} // namespace

pid_t AttachCheck::tracerOf(pid_t pid)
{
    const std::string value = statusField(pid, "TracerPid");
    return value.empty() ? -1 : static_cast<pid_t>(std::stol(value));
}

bool AttachCheck::isSelfOrAncestor(pid_t pid)
{
    for (pid_t p = getpid(); p > 0;) {
        if (p == pid)
            return true;
        const auto s = ProcReader::stat(p);
        if (!s || s->ppid == p)
            return false;
        p = s->ppid;
    }
    return false;
}

std::optional<std::string> AttachCheck::refusal(pid_t pid)
{
    const std::string who = "attach: " + std::to_string(pid);
    const auto s = pid > 0 ? ProcReader::stat(pid) : std::nullopt;
    if (!s)
        return who + ": no such process";
    if (pid == 1)
        return who + " is init: PipeScope does not attach to PID 1";
    if (isSelfOrAncestor(pid))
        return who + " (" + s->comm + ") is PipeScope itself or one of its parents";
    if (s->kernelThread())
        return who + " (" + s->comm + ") is a kernel thread";
    if (s->state == 'Z' || s->state == 'X')
        return who + " (" + s->comm + ") has exited";
    if (const pid_t tracer = tracerOf(pid); tracer > 0)
        return who + " (" + s->comm + ") is already traced by " + std::to_string(tracer) + " (" + comm(tracer)
            + "); a process has one tracer at a time";
    return std::nullopt;
}

std::string AttachCheck::seizeProblem(pid_t pid, int err)
{
    const std::string who = "attach: " + std::to_string(pid) + " (" + comm(pid) + ")";
    if (err == ESRCH)
        return "attach: " + std::to_string(pid) + ": no such process";
    if (err != EPERM)
        return who + ": ptrace: " + std::strerror(err);
    const std::string uids = statusField(pid, "Uid");
    const std::string theirs = uids.substr(0, uids.find_first_of(" \t"));
    if (geteuid() != 0 && !theirs.empty() && theirs != std::to_string(geteuid()))
        return who + ": not permitted: it belongs to another user (uid " + theirs + ")";
    std::ifstream scopeFile("/proc/sys/kernel/yama/ptrace_scope");
    int scope = -1;
    if (scopeFile >> scope && scope > 0) {
        const char *meaning = scope == 1 ? "only a parent may trace its descendants (run as root, or let the "
                                           "program allow it with prctl(PR_SET_PTRACER))"
            : scope == 2                 ? "only a process with CAP_SYS_PTRACE may trace"
                                         : "no process may trace";
        return who + ": not permitted: /proc/sys/kernel/yama/ptrace_scope is " + std::to_string(scope) + ": " + meaning;
    }
    return who + ": not permitted (it may be setuid, or a security module such as AppArmor forbids it)";
}

} // namespace pipescope
