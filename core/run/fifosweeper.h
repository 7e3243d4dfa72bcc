#pragma once

#include "core/model/event.h"

#include <string>
#include <vector>

namespace pipescope
{

/// Remembers the FIFOs a run made (its Mkfifo events) and, once the tree is gone,
/// removes any the scenario left behind with their private folders: a run that was
/// cancelled, killed by the watchdog or failed halfway never leaves a name in /tmp.
/// Only a FIFO in a folder named "pipescope-fifo-*" is ever removed.
class FifoSweeper
{
public:
    /// Notes the path of a successful Mkfifo event; ignores every other event.
    void noteEvent(const Event &event);
    /// Removes what is left (the FIFO, then its folder if empty); one Note per removal.
    std::vector<Event> sweep();
    const std::vector<std::string> &paths() const { return m_paths; }

private:
    std::vector<std::string> m_paths;
};

} // namespace pipescope
