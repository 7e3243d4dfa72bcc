#pragma once

#include "core/model/event.h"
#include "core/trace/traceoptions.h"

#include <atomic>
#include <functional>

namespace pipescope
{

/// Where a traced process waits at the entry of a pipe-related call: not at
/// all (free), for a pace, or until it is let go (step). The mode can change
/// while the trace runs (pipescope-cli trace --control-fd): the gate then
/// polls the control fd while it holds a process, so that a `run` or `step`
/// from another process ends the hold.
class StepGate
{
public:
    /// Step mode without a control fd: asked with the GateWait event; returns
    /// when the process may go on, false to let every process run free from then on.
    using Prompt = std::function<bool(const Event &)>;

    void setMode(TraceOptions::Mode mode, int paceMs);
    TraceOptions::Mode mode() const { return m_mode; }
    int paceMs() const { return m_paceMs; }
    void setPrompt(Prompt prompt) { m_prompt = std::move(prompt); }
    /// fd to watch (-1: none); onReadable is called when it can be read or has
    /// hung up, and may change the mode, release the held process or drop the fd.
    void setControl(int fd, std::function<void()> onReadable);
    int controlFd() const { return m_controlFd; }
    void serviceControl();
    /// Called now and then while a process is held (at least every
    /// kWhileHeldMs with a control fd, once without): the tracer looks for
    /// other processes that stopped meanwhile, so that they show as held too.
    void setWhileHeld(std::function<void()> whileHeld) { m_whileHeld = std::move(whileHeld); }
    static constexpr int kWhileHeldMs = 20;
    /// Lets the held process go (a step); nothing is remembered when none is held.
    void releaseHeld();
    bool holding() const { return m_holding; }
    /// Holds the caller's process (it is stopped at its call's entry) until
    /// the pace is over, it is released, the mode changes to one that does
    /// not hold, or cancel becomes true.
    void hold(const Event &gate, const std::atomic<bool> &cancel);

private:
    void holdWithControl(const std::atomic<bool> &cancel);

    TraceOptions::Mode m_mode = TraceOptions::Mode::Free;
    int m_paceMs = 0;
    Prompt m_prompt;
    int m_controlFd = -1;
    std::function<void()> m_onControl;
    std::function<void()> m_whileHeld;
    bool m_holding = false;
    bool m_release = false;
};

} // namespace pipescope
