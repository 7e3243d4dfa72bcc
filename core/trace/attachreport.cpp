#include "core/trace/attachreport.h"

#include "core/watch/procreader.h"

#include <fcntl.h>

#include <fstream>
#include <iterator>

namespace pipescope
{

std::string AttachReport::commandLine(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    for (char &c : text)
        if (c == '\0')
            c = ' ';
    return text;
}

std::vector<Event> AttachReport::found(pid_t pid, pid_t ppid, const std::string &role)
{
    std::vector<Event> out;
    Event started;
    started.kind = EventKind::ProcessStarted;
    started.pid = pid;
    started.otherPid = ppid;
    started.setText(role);
    out.push_back(started);
    std::string pipes;
    for (const FdLink &link : ProcReader::fds(pid)) {
        if (!link.pipeInode)
            continue;
        const long flags = ProcReader::fdFlags(pid, link.fd);
        const char *end = flags < 0 ? "" : (flags & O_ACCMODE) == O_WRONLY ? " write end" : " read end";
        pipes += (pipes.empty() ? "" : ", ") + std::string("fd ") + std::to_string(link.fd) + " " + link.target + end;
    }
    Event note;
    note.kind = EventKind::Note;
    note.pid = pid;
    note.setText("found at attach: " + commandLine(pid) + "; pipes: " + (pipes.empty() ? "none" : pipes));
    out.push_back(note);
    return out;
}

} // namespace pipescope
