#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace pipescope
{

/// Starts a command to be watched and owns its whole tree: fork + execvp in
/// the child (async-signal-safe calls only until exec), in a process group of
/// its own so that a terminal's Ctrl+C reaches us and not it, with us as the
/// subreaper of its orphans so that we reap every process it leaves behind.
class CommandLauncher
{
public:
    CommandLauncher() = default;
    ~CommandLauncher();
    CommandLauncher(const CommandLauncher &) = delete;
    CommandLauncher &operator=(const CommandLauncher &) = delete;

    /// Starts argv[0] with argv. False, with a one-line reason in *problem
    /// ("cannot run 'nosuch': No such file or directory"), when it cannot be
    /// run; the failed child has been reaped by then.
    bool start(const std::vector<std::string> &argv, std::string *problem);

    pid_t pid() const { return m_pid; }
    /// The guardian, a child of ours that kills the command's process group when
    /// we die, even by SIGKILL (-1 when there is none). Not part of the pipeline.
    pid_t guardianPid() const { return m_guardian; }
    /// A pidfd of the command (-1 before start): readable once it has exited.
    int pidfd() const { return m_pidfd; }

    /// Reaps every child of ours that has exited (the command, orphans of its
    /// tree) without blocking; returns (pid, raw wait status) of each.
    std::vector<std::pair<pid_t, int>> reapExited();
    /// True once the command itself has been reaped.
    bool commandReaped() const { return m_reaped; }
    /// The command's raw wait status, once reaped.
    int commandStatus() const { return m_status; }
    /// True while any child of ours is left (the command or an orphan of its tree).
    bool anyChildLeft() const;

    /// Kills the command's whole tree (its process group and every descendant
    /// of ours, also those that left the group) and reaps all of it; returns
    /// (pid, raw wait status) of each process reaped.
    std::vector<std::pair<pid_t, int>> killAndReapAll();

private:
    /// Forks the guardian: it waits for EOF on a pipe whose write end only we hold,
    /// which the kernel closes when we die however we die, then kills the group.
    void startGuardian();
    void stopGuardian();

    pid_t m_pid = -1;
    pid_t m_guardian = -1;
    int m_guardianPipe = -1; ///< our write end; closing it (or dying) sets the guardian off
    int m_pidfd = -1;
    bool m_reaped = false;
    int m_status = 0;
};

} // namespace pipescope
