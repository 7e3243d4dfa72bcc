#include "core/model/runstate.h"

#include "core/model/sharedstate.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>

namespace pipescope
{

const char *processStateName(ProcessState state)
{
    switch (state) {
    case ProcessState::Running: return "running";
    case ProcessState::Held: return "held";
    case ProcessState::Blocked: return "blocked";
    case ProcessState::Exited: return "zombie";
    case ProcessState::Reaped: return "reaped";
    }
    return "?";
}

const char *channelKindName(ChannelKind kind)
{
    switch (kind) {
    case ChannelKind::Pipe: return "pipe";
    case ChannelKind::Fifo: return "fifo";
    case ChannelKind::Socket: return "socket pair";
    }
    return "?";
}

ProcessInfo *RunState::find(pid_t pid)
{
    const auto it
        = std::find_if(m_processes.begin(), m_processes.end(), [&](const ProcessInfo &p) { return p.pid == pid; });
    return it == m_processes.end() ? nullptr : &*it;
}

const ProcessInfo *RunState::process(pid_t pid) const
{
    return const_cast<RunState *>(this)->find(pid);
}

const PipeInfo *RunState::pipe(std::uint64_t inode) const
{
    const auto it = std::find_if(m_pipes.begin(), m_pipes.end(), [&](const PipeInfo &p) { return p.has(inode); });
    return it == m_pipes.end() ? nullptr : &*it;
}

ProcessInfo &RunState::ensureProcess(pid_t pid, pid_t parent, const std::string &role)
{
    if (ProcessInfo *p = find(pid)) {
        if (!role.empty())
            p->role = role;
        return *p;
    }
    ProcessInfo info;
    info.pid = pid;
    info.parent = parent;
    info.role = role;
    info.index = static_cast<int>(m_processes.size());
    // A forked child starts with a copy of its parent's fd table.
    if (const ProcessInfo *p = find(parent))
        info.fds = p->fds;
    m_processes.push_back(std::move(info));
    return m_processes.back();
}

void RunState::forgetMeasurements(pid_t writer)
{
    // Its write returned or it died: what FIONREAD said while it slept is no longer the fill.
    for (PipeInfo &p : m_pipes)
        if (p.measuredBy == writer)
            p.measuredFill = -1;
}

PipeInfo &RunState::ensurePipe(std::uint64_t inode)
{
    if (const PipeInfo *p = pipe(inode))
        return const_cast<PipeInfo &>(*p);
    PipeInfo info;
    info.inode = inode;
    info.index = static_cast<int>(m_pipes.size());
    m_pipes.push_back(info);
    return m_pipes.back();
}

int RunState::openEnds(std::uint64_t inode, bool writeEnd) const
{
    int n = 0;
    for (const ProcessInfo &p : m_processes) {
        if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped)
            continue;
        for (const auto &[fd, end] : p.fds)
            n += end.inode == inode && end.writeEnd == writeEnd;
    }
    return n;
}

void RunState::apply(const Event &e)
{
    ++m_eventCount;
    switch (e.kind) {
    case EventKind::RunStarted: m_startNs = e.timeNs; return;
    case EventKind::RunFinished:
        m_finished = true;
        m_outcome = e.status;
        return;
    case EventKind::ProcessStarted:
        ensureProcess(e.pid, e.otherPid, std::string(e.textView())).namedByProgram
            = (e.status & kStartedNamedByProgram) != 0;
        return;
    case EventKind::Fork:
        if (e.result > 0)
            ensureProcess(static_cast<pid_t>(e.result), e.pid, std::string(e.textView()));
        break;
    case EventKind::Exited:
    case EventKind::Reaped:
    case EventKind::Wait: {
        const pid_t target = e.kind == EventKind::Wait ? e.otherPid : e.pid;
        if (target <= 0)
            break;
        ProcessInfo &p = ensureProcess(target, 0, {});
        p.status = e.status;
        p.state = e.kind == EventKind::Exited && p.state != ProcessState::Reaped ? ProcessState::Exited
                                                                                 : ProcessState::Reaped;
        p.detail.clear();
        p.fds.clear(); // the kernel closes every fd of a process that exits
        forgetMeasurements(target);
        if (e.kind != EventKind::Wait)
            return;
        break;
    }
    case EventKind::Blocked:
        if (ProcessInfo *p = find(e.pid); p && p->state != ProcessState::Exited && p->state != ProcessState::Reaped) {
            p->state = ProcessState::Blocked;
            p->detail = std::string(e.textView());
        }
        // A writer asleep on a full pipe: the runner measured the pipe's real fill (FIONREAD).
        if (e.result >= 0 && e.inode && pipe(e.inode)) {
            PipeInfo &measured = ensurePipe(e.inode);
            measured.measuredFill = e.result;
            measured.measuredWritten = measured.written;
            measured.measuredRead = measured.read;
            measured.measuredBy = e.pid;
        }
        return;
    case EventKind::Woken:
        forgetMeasurements(e.pid);
        if (ProcessInfo *p = find(e.pid); p && p->state == ProcessState::Blocked) {
            p->state = ProcessState::Running;
            p->detail.clear();
        }
        return;
    case EventKind::Watchdog:
    case EventKind::Note: return;
    default: break;
    }

    // Everything below is a syscall event made by e.pid itself.
    ProcessInfo *self = find(e.pid);
    if (!self)
        self = &ensureProcess(e.pid, 0, {});
    if (e.kind == EventKind::GateWait) {
        self->state = ProcessState::Held;
        self->detail = std::string("about to ") + eventKindName(e.pending);
        return;
    }
    if (self->state == ProcessState::Held || self->state == ProcessState::Blocked) {
        self->state = ProcessState::Running;
        self->detail.clear();
    }
    switch (e.kind) {
    case EventKind::PipeCreated:
        if (e.err == 0) {
            PipeInfo &p = ensurePipe(e.inode);
            p.capacity = e.requested;
            p.creator = e.pid;
            p.purpose = std::string(e.textView());
            const bool cloexec = e.status & O_CLOEXEC;
            const bool nonblock = e.status & O_NONBLOCK;
            // An inherited pipe (a traced program's, made before the trace) comes one end at a time.
            if (e.fd >= 0)
                self->fds[e.fd] = {e.inode, false, cloexec, nonblock};
            if (e.fd2 >= 0)
                self->fds[e.fd2] = {e.inode, true, cloexec, nonblock};
        }
        break;
    case EventKind::SetPipeSize:
        if (e.result > 0 && e.inode)
            ensurePipe(e.inode).capacity = e.result;
        break;
    case EventKind::Mkfifo:
        if (e.err == 0 && e.inode) {
            PipeInfo &p = ensurePipe(e.inode);
            p.kind = ChannelKind::Fifo;
            p.path = std::string(e.textView());
            p.creator = e.pid;
        }
        break;
    case EventKind::Open:
        if (e.err == 0 && e.inode && e.fd >= 0) {
            PipeInfo &p = ensurePipe(e.inode);
            p.kind = ChannelKind::Fifo; // only a FIFO's open carries an inode
            if (p.path.empty())
                p.path = std::string(e.textView());
            if (e.requested > 0)
                p.capacity = e.requested;
            const bool writeEnd = (e.status & O_ACCMODE) == O_WRONLY;
            self->fds[e.fd] = {e.inode, writeEnd, (e.status & O_CLOEXEC) != 0, (e.status & O_NONBLOCK) != 0};
        }
        break;
    case EventKind::SocketPair:
        if (e.err == 0 && e.inode && e.inode2) {
            // Counters sampled before this event may have met the second end alone: it is one channel.
            const auto stray = std::find_if(m_pipes.begin(), m_pipes.end(),
                [&](const PipeInfo &q) { return q.inode == e.inode2 && !q.isSocket(); });
            if (stray != m_pipes.end()) {
                m_pipes.erase(stray);
                for (std::size_t i = 0; i < m_pipes.size(); ++i)
                    m_pipes[i].index = static_cast<int>(i);
            }
            PipeInfo &p = ensurePipe(e.inode);
            p.kind = ChannelKind::Socket;
            p.inode2 = e.inode2;
            p.creator = e.pid;
            p.capacity = e.requested;
            const bool cloexec = e.status & SOCK_CLOEXEC;
            const bool nonblock = e.status & SOCK_NONBLOCK;
            self->fds[e.fd] = {e.inode, false, cloexec, nonblock, true};
            self->fds[e.fd2] = {e.inode2, false, cloexec, nonblock, true};
        }
        break;
    case EventKind::Dup2:
        if (e.result >= 0) {
            const auto it = self->fds.find(e.fd2);
            if (it != self->fds.end()) {
                PipeEndRef copy = it->second;
                copy.closeOnExec = false; // dup2 never copies FD_CLOEXEC
                copy.acrossExec = false; // put there on purpose, by the program running now
                self->fds[e.fd] = copy;
            } else {
                self->fds.erase(e.fd);
            }
        }
        break;
    case EventKind::Close:
        if (e.result == 0)
            self->fds.erase(e.fd);
        break;
    case EventKind::Exec:
        self->external = !m_execsTraced && (e.status & kExecStatusTraced) == 0;
        self->program = std::string(e.textView());
        if (self->namedByProgram) { // "/usr/bin/cat -n" -> "cat"
            const std::string first = self->program.substr(0, self->program.find(' '));
            self->role = first.substr(first.rfind('/') + 1);
        }
        for (auto it = self->fds.begin(); it != self->fds.end();)
            it = it->second.closeOnExec ? self->fds.erase(it) : std::next(it);
        for (auto &[fd, end] : self->fds)
            end.acrossExec = true;
        for (const auto &[fd, end] : self->fds) {
            if (!self->external)
                break;
            PipeInfo &p = ensurePipe(end.inode);
            (end.writeEnd ? p.externalWriter : p.externalReader) = true;
        }
        break;
    case EventKind::ExecFailed: self->external = false; break;
    case EventKind::Write:
        if (e.result > 0 && e.inode) {
            PipeInfo &p = ensurePipe(e.inode);
            self->bytesOut += e.result;
            if (p.isSocket() && e.inode == p.inode2) { // second end to first
                p.written2 += e.result;
                ++p.writes2;
                break;
            }
            p.written += e.result;
            ++p.writes;
            if (!p.isSocket()) // a socket buffers in both ends' queues: no one fill to compare with its capacity
                p.maxFill = std::max(p.maxFill, std::min(p.inBuffer(), p.capacity));
        }
        break;
    case EventKind::Read:
        if (e.inode && e.err == 0) {
            PipeInfo &p = ensurePipe(e.inode);
            // A read on a socket pair's first end takes what its second end sent.
            const bool back = p.isSocket() && e.inode == p.inode;
            if (e.result == 0 && e.requested > 0) {
                (back ? p.eofSeen2 : p.eofSeen) = true;
            } else if (e.result > 0) {
                (back ? p.read2 : p.read) += e.result;
                ++(back ? p.reads2 : p.reads);
                self->bytesIn += e.result;
            }
        }
        break;
    default: break;
    }
}

bool RunState::observeProcess(pid_t pid, const std::string &program, const std::map<int, PipeEndRef> &fds,
    std::int64_t bytesIn, std::int64_t bytesOut)
{
    ProcessInfo *p = find(pid);
    if (!p || p->state == ProcessState::Exited || p->state == ProcessState::Reaped)
        return false;
    if (!program.empty())
        p->role = program; // a watched process's name changes at exec, which no event reports
    p->bytesIn = bytesIn;
    p->bytesOut = bytesOut;
    auto sameEnds = [](const std::map<int, PipeEndRef> &a, const std::map<int, PipeEndRef> &b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto &x, const auto &y) {
            return x.first == y.first && x.second.inode == y.second.inode && x.second.writeEnd == y.second.writeEnd;
        });
    };
    if (sameEnds(p->fds, fds))
        return false;
    p->fds = fds;
    for (const auto &[fd, end] : fds)
        ensurePipe(end.inode);
    return true;
}

void RunState::observePipe(std::uint64_t inode, std::int64_t capacity, std::int64_t written, std::int64_t read)
{
    PipeInfo &p = ensurePipe(inode);
    if (capacity > 0)
        p.capacity = capacity;
    p.written = written;
    p.read = read;
    p.maxFill = std::max(p.maxFill, p.capacity > 0 ? std::min(p.inBuffer(), p.capacity) : p.inBuffer());
}

void RunState::nameProcess(pid_t pid, const std::string &name)
{
    if (ProcessInfo *p = find(pid); p && !name.empty())
        p->role = name;
}

void RunState::applyCounters(const SharedState &shared)
{
    const int n = std::min(shared.pipeCount.load(), SharedState::kMaxPipes);
    for (int i = 0; i < n; ++i) {
        const SharedPipe &s = shared.pipes[i];
        const std::uint64_t inode = s.inode.load(std::memory_order_acquire);
        if (inode == 0)
            continue;
        PipeInfo &p = ensurePipe(inode);
        if (p.isSocket()) {
            // Each end of a socket pair has its own slot: what was written into it, read from it.
            const bool first = inode == p.inode;
            (first ? p.written : p.written2) = s.written.load(std::memory_order_relaxed);
            (first ? p.writes : p.writes2) = s.writes.load(std::memory_order_relaxed);
            (first ? p.read2 : p.read) = s.read.load(std::memory_order_relaxed);
            (first ? p.reads2 : p.reads) = s.reads.load(std::memory_order_relaxed);
            bool &eof = first ? p.eofSeen2 : p.eofSeen;
            eof = eof || s.eof.load(std::memory_order_relaxed);
            continue;
        }
        p.capacity = s.capacity.load(std::memory_order_relaxed);
        p.written = s.written.load(std::memory_order_relaxed);
        p.read = s.read.load(std::memory_order_relaxed);
        p.writes = s.writes.load(std::memory_order_relaxed);
        p.reads = s.reads.load(std::memory_order_relaxed);
        p.maxFill = std::max(p.maxFill, s.maxFill.load(std::memory_order_relaxed));
        p.eofSeen = p.eofSeen || s.eof.load(std::memory_order_relaxed);
    }
    const int procs = std::min(shared.processCount.load(), SharedState::kMaxProcesses);
    for (int i = 0; i < procs; ++i) {
        const SharedProcess &s = shared.processes[i];
        if (ProcessInfo *p = find(s.pid.load(std::memory_order_acquire))) {
            p->bytesIn = s.bytesIn.load(std::memory_order_relaxed);
            p->bytesOut = s.bytesOut.load(std::memory_order_relaxed);
        }
    }
}

} // namespace pipescope
