#include "core/watch/pipelinewatcher.h"

#include "core/run/procprobe.h"
#include "core/watch/pipegauge.h"
#include "core/watch/procreader.h"
#include "core/watch/waitprobe.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace pipescope
{

namespace
{

// Samples between two full readings of a process's fd links (2 s at the default interval).
constexpr std::uint64_t kVerifyEvery = 10;

std::int64_t monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool writable(long flags)
{
    const long mode = flags & O_ACCMODE;
    return mode == O_WRONLY || mode == O_RDWR;
}

bool readable(long flags)
{
    const long mode = flags & O_ACCMODE;
    return mode == O_RDONLY || mode == O_RDWR;
}

std::string joinNames(const std::set<pid_t> &pids, const std::map<pid_t, std::string> &names)
{
    std::vector<std::string> list;
    for (const pid_t pid : pids) {
        const auto it = names.find(pid);
        if (it != names.end() && std::find(list.begin(), list.end(), it->second) == list.end())
            list.push_back(it->second);
    }
    std::string out;
    for (const std::string &name : list)
        out += (out.empty() ? "" : ",") + name;
    return out.empty() ? "?" : out;
}

} // namespace

PipelineWatcher::PipelineWatcher(const WatchOptions &options)
    : m_options(options), m_self(getpid()), m_selfHandle(m_self)
{
    if (const auto s = ProcReader::stat(options.root))
        m_rootPgrp = s->pgrp;
}

std::optional<std::string> PipelineWatcher::refusal(pid_t pid)
{
    const std::string name = "process " + std::to_string(pid);
    if (pid <= 0)
        return std::to_string(pid) + " is not a process id";
    if (pid == 1)
        return "refusing to watch PID 1 (init): it holds no pipeline; give the pid of a stage";
    const auto s = ProcReader::stat(pid);
    if (!s)
        return "no " + name + " (it does not exist, or /proc does not show it to this user)";
    if (s->kernelThread())
        return name + " (" + s->comm + ") is a kernel thread: it has no pipes to watch";
    if (s->state == 'Z' || s->state == 'X')
        return name + " (" + s->comm + ") has already exited";
    if (pid == getpid())
        return name + " is this watcher itself";
    // Its fd table is what we watch: another user's process shows its stat but not its fds.
    if (access(("/proc/" + std::to_string(pid) + "/fd").c_str(), R_OK | X_OK) != 0)
        return "cannot see the open files of " + name + " (" + s->comm
            + "): it belongs to another user; run as that user";
    return std::nullopt;
}

void PipelineWatcher::track(pid_t pid, std::int64_t now)
{
    if (pid == m_self || m_procs.count(pid))
        return;
    ProcHandle handle(pid);
    const auto s = handle.stat();
    if (!s || s->kernelThread())
        return;
    Tracked t;
    t.handle = std::move(handle);
    t.proc.pid = pid;
    t.proc.ppid = s->ppid;
    t.proc.name = s->comm;
    t.proc.firstSeenNs = now;
    t.startTime = s->startTime;
    t.pgrp = s->pgrp;
    m_procs.emplace(pid, std::move(t));
}

void PipelineWatcher::discover(std::int64_t now)
{
    if (m_seq == 0)
        track(m_options.root, now);
    // Descendants, breadth first: children of every live watched process.
    std::vector<pid_t> queue;
    for (const auto &[pid, t] : m_procs) {
        if (!t.proc.exited())
            queue.push_back(pid);
    }
    if (m_options.includeOwnChildren) {
        const auto self = m_selfHandle.stat();
        for (const pid_t child : m_selfHandle.children(self ? self->threads : 0))
            if (m_options.ignored.count(child) == 0)
                queue.push_back(child);
    }
    std::set<pid_t> visited;
    while (!queue.empty()) {
        const pid_t pid = queue.back();
        queue.pop_back();
        if (!visited.insert(pid).second)
            continue;
        track(pid, now);
        const auto it = m_procs.find(pid);
        if (it == m_procs.end() || it->second.proc.exited())
            continue;
        for (const pid_t child : it->second.handle.children(it->second.threads))
            queue.push_back(child);
    }
}

void PipelineWatcher::scanHolders(std::int64_t now)
{
    // The inodes whose holders we look for: pipes of the root's process group.
    std::set<std::uint64_t> wanted;
    for (const auto &[pid, t] : m_procs) {
        if (t.proc.exited() || (pid != m_options.root && t.pgrp != m_rootPgrp))
            continue;
        for (const WatchedEnd &e : t.proc.ends)
            wanted.insert(e.inode);
    }
    for (const pid_t pid : m_holders.find(
             std::move(wanted), m_rootPgrp, [&](pid_t pid) { return pid == m_self || m_procs.count(pid) > 0; }))
        track(pid, now);
}

void PipelineWatcher::markExited(Tracked &t, std::int64_t now)
{
    if (t.proc.exited())
        return;
    t.proc.state = WatchState::Exited;
    t.proc.wchan.clear();
    t.proc.ends.clear();
    t.proc.blockedFd = -1;
    t.proc.inPipe = 0;
    t.proc.outPipe = 0;
    t.proc.exitedNs = now;
    t.fdCache.clear();
    t.handle.release();
}

void PipelineWatcher::readFds(Tracked &t, bool verify)
{
    const std::vector<FdLink> &links = t.handle.fds(verify);
    // No fd at all: it is exiting (the kernel closes its files before it
    // becomes a zombie) and its counts are nearly final. Its pipes stay as last
    // seen, so those counts still reach them.
    if (links.empty())
        return;
    std::map<int, CachedFd> cache;
    t.proc.ends.clear();
    std::set<std::uint64_t> outs, ins;
    bool otherOut = false, otherIn = false;
    for (const FdLink &link : links) {
        CachedFd c;
        const auto old = t.fdCache.find(link.fd);
        // fdinfo only for an fd that is new or now points elsewhere: flags of an open file never change mode.
        if (old != t.fdCache.end() && old->second.target == link.target)
            c.flags = old->second.flags;
        else
            c.flags = ProcReader::fdFlags(t.proc.pid, link.fd);
        c.target = link.target;
        if (link.pipeInode) {
            const bool w = c.flags >= 0 && (c.flags & O_ACCMODE) == O_WRONLY;
            t.proc.ends.push_back({link.pipeInode, link.fd, w});
            (w ? outs : ins).insert(link.pipeInode);
        } else if (c.flags >= 0) {
            // fd 2 is for messages (and a terminal's is opened read-write):
            // counting it would make no stage attributable.
            if (writable(c.flags) && link.fd != 2)
                otherOut = true;
            if (readable(c.flags) && link.fd != 2)
                otherIn = true;
        }
        cache.emplace(link.fd, std::move(c));
    }
    t.fdCache = std::move(cache);
    const bool outClosed = outs.empty() && !t.fdCache.count(1);
    const bool inClosed = ins.empty() && !t.fdCache.count(0);
    const std::uint64_t oldOut = t.outPipe, oldIn = t.inPipe;
    const bool oldOutSole = t.outSole, oldInSole = t.inSole;
    t.outSole = !otherOut && outs.size() == 1;
    t.inSole = !otherIn && ins.size() == 1;
    t.outPipe = t.outSole ? *outs.begin() : 0;
    t.inPipe = t.inSole ? *ins.begin() : 0;
    // Otherwise a filter's stdin and stdout: shells and tools leak stray fds
    // into their children that the program never touches.
    for (const WatchedEnd &e : t.proc.ends) {
        if (!t.outPipe && e.fd == 1 && e.writeEnd)
            t.outPipe = e.inode;
        if (!t.inPipe && e.fd == 0 && !e.writeEnd)
            t.inPipe = e.inode;
    }
    // A filter that closed its stdin after EOF (wc, sort do) read all it
    // read from that pipe: its count still belongs there. Likewise stdout.
    // Nor does its count move to a stray pipe it held all along and never
    // had at fd 0 or 1: that is where it would seem to go once stdout closes.
    const auto atFd = [&](std::uint64_t inode, int fd) {
        return std::any_of(t.proc.ends.begin(), t.proc.ends.end(),
            [&](const WatchedEnd &e) { return e.fd == fd && e.inode == inode; });
    };
    const bool outLost = oldOut && !outs.count(oldOut) && !atFd(t.outPipe, 1);
    const bool inLost = oldIn && !ins.count(oldIn) && !atFd(t.inPipe, 0);
    if ((!t.outPipe && outClosed) || (t.outPipe != oldOut && outLost)) {
        t.outPipe = oldOut;
        t.outSole = oldOutSole;
    }
    if ((!t.inPipe && inClosed) || (t.inPipe != oldIn && inLost)) {
        t.inPipe = oldIn;
        t.inSole = oldInSole;
    }
}

void PipelineWatcher::read(Tracked &t, std::int64_t now)
{
    if (t.proc.exited())
        return;
    const auto s = t.handle.stat();
    if (!s || s->startTime != t.startTime) {
        markExited(t, now); // gone, or its pid already names another process
        return;
    }
    // Every fd link is read again after an exec (its name changes) and now and
    // then (a dup2 onto an fd it had); otherwise only new fd numbers are.
    const bool verify = s->comm != t.proc.name || (m_seq + static_cast<std::uint64_t>(t.proc.pid)) % kVerifyEvery == 0;
    t.proc.name = s->comm;
    t.proc.ppid = s->ppid;
    t.pgrp = s->pgrp;
    t.threads = s->threads;
    std::uint64_t r = 0, w = 0;
    const bool ioRead = t.handle.io(&r, &w);
    if (ioRead) {
        t.proc.rchar = std::max(t.proc.rchar, r);
        t.proc.wchar = std::max(t.proc.wchar, w);
    }
    if (s->state == 'Z' || s->state == 'X') {
        // A zombie's counts are its last: no thread of it runs any more. But only when
        // io was read after stat said zombie: its parent may reap it between the two
        // (io then fails), and a leader that ended while other threads run is a zombie too.
        if (ioRead && s->threads <= 1 && !t.proc.countsFinal) {
            t.proc.countsFinal = true;
            t.proc.countsSlack = 0;
        }
        if (!t.proc.statusKnown) {
            t.proc.statusKnown = true;
            t.proc.exitStatus = s->exitCode;
        }
        account(t);
        markExited(t, now);
        return;
    }
    WaitInfo wait = WaitProbe::look(t.handle, s->state);
    readFds(t, verify || t.proc.firstSeenNs == now);
    WaitProbe::resolve(t.proc.pid, wait, t.proc.ends);
    t.proc.state = wait.state;
    t.proc.wchan = std::move(wait.wchan);
    t.proc.blockedFd = wait.blockedFd;
    const auto held = [&](std::uint64_t inode, bool write) {
        return std::any_of(t.proc.ends.begin(), t.proc.ends.end(),
                   [&](const WatchedEnd &e) { return e.inode == inode && e.writeEnd == write; })
            ? inode
            : 0;
    };
    t.proc.inPipe = t.inPipe ? held(t.inPipe, false) : 0;
    t.proc.outPipe = t.outPipe ? held(t.outPipe, true) : 0;
    account(t);
}

void PipelineWatcher::account(const Tracked &t)
{
    const pid_t pid = t.proc.pid;
    for (const WatchedEnd &e : t.proc.ends) {
        const bool counted = e.inode == (e.writeEnd ? t.outPipe : t.inPipe);
        m_pipes[e.inode].sawHolder(pid, e.writeEnd, counted, e.writeEnd ? t.proc.wchar : t.proc.rchar);
    }
    // Its counts go to the pipes they are attributed to, held now or closed after use.
    if (t.outPipe)
        m_pipes[t.outPipe].count(pid, true, t.proc.wchar, t.outSole);
    if (t.inPipe)
        m_pipes[t.inPipe].count(pid, false, t.proc.rchar, t.inSole);
}

void PipelineWatcher::forgetIdleHolders()
{
    for (auto &[inode, l] : m_pipes) {
        l.forgetIdleHolders([&, inode = inode](pid_t pid, bool write) {
            const auto it = m_procs.find(pid);
            if (it == m_procs.end())
                return true; // not known: keep it counted as unknown
            const auto &ends = it->second.proc.ends; // empty once exited
            return std::any_of(
                ends.begin(), ends.end(), [&](const WatchedEnd &e) { return e.inode == inode && e.writeEnd == write; });
        });
    }
}

WatchedPipe PipelineWatcher::buildPipe(std::uint64_t inode, PipeLedger &l, const std::vector<Holder> &holders,
    const std::map<pid_t, std::string> &names, std::int64_t now)
{
    WatchedPipe p;
    p.inode = inode;
    std::set<pid_t> writersNow, readersNow;
    // Where to take a copy of an end from: a read end first, as the issue suggests.
    std::vector<std::pair<Tracked *, int>> readEnds, writeEnds;
    for (const auto &[t, e] : holders) {
        const WatchedProcess &q = t->proc;
        // Asleep in the pipe's write (read) on this end: it is full (empty). When
        // the fd is not known (it woke before /proc said), the pipe its output
        // (input) goes through is the one it most likely waits on.
        const bool waitsHere = q.blockedFd >= 0 ? q.blockedFd == e.fd : e.inode == (e.writeEnd ? q.outPipe : q.inPipe);
        if (e.writeEnd) {
            writersNow.insert(q.pid);
            p.writerBlocked |= q.state == WatchState::BlockedWrite && waitsHere;
        } else {
            readersNow.insert(q.pid);
            p.readerBlocked |= q.state == WatchState::BlockedRead && waitsHere;
        }
        (e.writeEnd ? writeEnds : readEnds).emplace_back(t, e.fd);
    }
    p.writers.assign(writersNow.begin(), writersNow.end());
    p.readers.assign(readersNow.begin(), readersNow.end());
    // Named after who holds its ends now; a closed pipe keeps its last names.
    p.from = writersNow.empty() && !l.last().from.empty() ? l.last().from : joinNames(writersNow, names);
    p.to = readersNow.empty() && !l.last().to.empty() ? l.last().to : joinNames(readersNow, names);
    p.open = !writersNow.empty() || !readersNow.empty();
    readEnds.insert(readEnds.end(), writeEnds.begin(), writeEnds.end());
    // A pipe's size rarely changes (F_SETPIPE_SZ): asked again now and then, or
    // at once when the pipe holds more than the size we knew.
    const std::int64_t known = l.last().capacity;
    const bool askSize = known < 0 || m_seq % kVerifyEvery == 0;
    // A reader asleep in its read: the kernel sleeps there only while the pipe
    // is empty, so there is nothing to measure but, now and then, its size.
    if (p.readerBlocked && !askSize) {
        p.fill = 0;
        readEnds.clear();
    }
    for (const auto &[t, fd] : readEnds) {
        // A holder may exit between its sample and now: then try the next.
        PipeLevel level = PipeGauge::measureVia(t->handle.pidfd(), fd, askSize);
        if (level.fill < 0)
            continue;
        if (level.capacity < 0 && level.fill > known)
            level = PipeGauge::measureVia(t->handle.pidfd(), fd, true);
        p.fill = level.fill;
        p.capacity = level.capacity;
        break;
    }
    if (p.capacity < 0)
        p.capacity = known; // the last one measured
    l.fillBytes(p, now, [&](pid_t pid) {
        const auto it = m_procs.find(pid);
        if (it == m_procs.end())
            return CountState {};
        const WatchedProcess &q = it->second.proc;
        return CountState {!q.exited() || q.countsFinal, q.exited() ? q.countsSlack : 0};
    });
    return p;
}

WatchSample PipelineWatcher::sample()
{
    WatchSample out;
    const std::int64_t start = monotonicNs();
    discover(start);
    for (auto &[pid, t] : m_procs)
        read(t, start);
    if (m_options.followPipeHolders && m_options.holderScanEvery > 0 && m_seq % m_options.holderScanEvery == 0) {
        const std::size_t before = m_procs.size();
        scanHolders(start);
        if (m_procs.size() != before) {
            discover(start); // the holders' descendants
            for (auto &[pid, t] : m_procs) {
                if (t.proc.firstSeenNs == start)
                    read(t, start);
            }
        }
    }
    forgetIdleHolders();
    out.seq = m_seq++;
    out.timeNs = start;
    // Who holds which pipe, and every name, gathered once for all pipes.
    std::map<std::uint64_t, std::vector<Holder>> holders;
    std::map<pid_t, std::string> names;
    for (auto &[pid, t] : m_procs) {
        names.emplace(pid, t.proc.name);
        for (const WatchedEnd &e : t.proc.ends)
            holders[e.inode].push_back({&t, e});
    }
    static const std::vector<Holder> none;
    for (auto &[inode, ledger] : m_pipes) {
        const auto h = holders.find(inode);
        out.pipes.push_back(buildPipe(inode, ledger, h == holders.end() ? none : h->second, names, start));
    }
    for (const auto &[pid, t] : m_procs) {
        if (!t.proc.exited() || start - t.proc.exitedNs < m_options.keepExitedNs)
            out.processes.push_back(t.proc);
    }
    // Closed pipes stay in the samples as long as a process at one of their ends does.
    std::erase_if(out.pipes, [&](const WatchedPipe &p) {
        if (p.open)
            return false;
        const PipeLedger &l = m_pipes[p.inode];
        const auto shown = [&](pid_t pid) { return out.process(pid) != nullptr; };
        return std::none_of(l.everWriters().begin(), l.everWriters().end(), shown)
            && std::none_of(l.everReaders().begin(), l.everReaders().end(), shown);
    });
    out.costNs = monotonicNs() - start;
    return out;
}

void PipelineWatcher::setExitStatus(pid_t pid, int status)
{
    const auto it = m_procs.find(pid);
    if (it == m_procs.end())
        return;
    it->second.proc.statusKnown = true;
    it->second.proc.exitStatus = status;
}

void PipelineWatcher::setFinalCounts(
    pid_t pid, std::uint64_t rchar, std::uint64_t wchar, int status, std::uint64_t slack)
{
    const auto it = m_procs.find(pid);
    if (it == m_procs.end())
        return;
    Tracked &t = it->second;
    // The last sample is exact but early, the exit's count late but rounded: the larger is nearer.
    t.proc.rchar = std::max(t.proc.rchar, rchar);
    t.proc.wchar = std::max(t.proc.wchar, wchar);
    // Already final from its zombie's /proc (exact): the record, rounded down, changes nothing.
    if (!t.proc.countsFinal)
        t.proc.countsSlack = slack;
    t.proc.countsFinal = true;
    if (!t.proc.statusKnown) {
        t.proc.statusKnown = true;
        t.proc.exitStatus = status;
    }
    // Its last attributable pipes get its last word.
    account(t);
}

std::vector<WatchedProcess> PipelineWatcher::everyProcess() const
{
    std::vector<WatchedProcess> out;
    for (const auto &[pid, t] : m_procs)
        out.push_back(t.proc);
    return out;
}

std::vector<WatchedPipe> PipelineWatcher::everyPipe() const
{
    std::vector<WatchedPipe> out;
    for (const auto &[inode, l] : m_pipes)
        out.push_back(l.last());
    return out;
}

bool PipelineWatcher::anyAlive() const
{
    return std::any_of(m_procs.begin(), m_procs.end(), [](const auto &kv) { return !kv.second.proc.exited(); });
}

} // namespace pipescope
