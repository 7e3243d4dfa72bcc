#pragma once

#include "core/trace/tracedcall.h"

#include <sys/types.h>

namespace pipescope
{

/// One traced thread, as the tracer keeps it between its stops.
struct TracedTask {
    pid_t tid = 0;
    pid_t tgid = 0;
    bool inCall = false;
    bool wantExit = false;
    bool blocked = false; ///< reported asleep in its call (a Woken follows)
    /// Its GateWait is out already: it stopped at its call while another process was held.
    bool gateShown = false;
    TracedCall call;
};

} // namespace pipescope
