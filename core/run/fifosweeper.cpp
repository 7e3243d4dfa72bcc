#include "core/run/fifosweeper.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace pipescope
{

namespace
{

constexpr std::string_view kFolderPrefix = "pipescope-fifo-";

/// The private folder of path, or empty when it is not one of ours.
std::string privateFolder(const std::string &path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0)
        return {};
    const std::string folder = path.substr(0, slash);
    const auto base = folder.rfind('/');
    const std::string name = base == std::string::npos ? folder : folder.substr(base + 1);
    return name.rfind(kFolderPrefix, 0) == 0 ? folder : std::string();
}

Event note(const std::string &text)
{
    Event e;
    e.kind = EventKind::Note;
    e.pid = getpid();
    e.setText(text);
    return e;
}

} // namespace

void FifoSweeper::noteEvent(const Event &event)
{
    if (event.kind != EventKind::Mkfifo || event.err != 0 || event.result != 0)
        return;
    const std::string path(event.textView());
    if (!privateFolder(path).empty())
        m_paths.push_back(path);
}

std::vector<Event> FifoSweeper::sweep()
{
    std::vector<Event> out;
    for (const std::string &path : m_paths) {
        struct stat st {
        };
        // lstat: never follow a link someone put in its place.
        if (lstat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode) && unlink(path.c_str()) == 0)
            out.push_back(note("runner removed the FIFO " + path + " that the run left behind"));
        const std::string folder = privateFolder(path);
        if (rmdir(folder.c_str()) == 0)
            out.push_back(note("runner removed the private folder " + folder));
    }
    m_paths.clear();
    return out;
}

} // namespace pipescope
