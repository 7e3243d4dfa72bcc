#include "core/quiz/quizgenerator.h"

#include "core/model/runstate.h"

#include <algorithm>
#include <cerrno>

namespace pipescope
{

namespace
{

using Kind = QuizOutcome::Kind;

bool gone(const ProcessInfo &p)
{
    return p.state == ProcessState::Exited || p.state == ProcessState::Reaped;
}

std::string who(const ProcessInfo &p)
{
    return p.role + " (" + std::to_string(p.pid) + ")";
}

std::string plural(std::int64_t n, const std::string &one, const std::string &many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// The live holders of one kind of end of a pipe, as "parent's fd 4, child's fd 4".
std::string holders(const RunState &state, std::uint64_t inode, bool writeEnd)
{
    std::string out;
    for (const ProcessInfo &p : state.processes()) {
        if (gone(p))
            continue;
        for (const auto &[fd, end] : p.fds) {
            if (end.inode != inode || end.writeEnd != writeEnd)
                continue;
            out += (out.empty() ? "" : ", ") + p.role + "'s fd " + std::to_string(fd);
        }
    }
    return out;
}

/// True when a busy process (other than asker) holds an end of the pipe of the kind given.
bool busyHolder(
    const RunState &state, const QuizGenerator::Context &context, pid_t asker, std::uint64_t inode, bool writeEnd)
{
    for (const ProcessInfo &p : state.processes()) {
        if (gone(p) || p.pid == asker || context.busy.count(p.pid) == 0)
            continue;
        for (const auto &[fd, end] : p.fds)
            if (end.inode == inode && end.writeEnd == writeEnd)
                return true;
    }
    return false;
}

/// Only pipes (and FIFOs) follow these rules; a socket pair's end reads and writes.
bool isPipe(const QuizGenerator::Context &context, pid_t pid, int fd)
{
    return !context.isPipe || context.isPipe(pid, fd);
}

QuizChoice choice(Kind kind, std::string text, std::int64_t value = 0, std::vector<int> fds = {})
{
    QuizChoice c;
    c.text = std::move(text);
    c.outcome.kind = kind;
    c.outcome.value = value;
    c.outcome.fds = std::move(fds);
    return c;
}

/// Puts the right answer first in choices, drops repeats, then rotates by the
/// question's number so that "1" is not always right.
void finish(QuizQuestion *q, std::vector<QuizChoice> choices)
{
    std::vector<QuizChoice> unique;
    for (QuizChoice &c : choices) {
        const bool seen
            = std::any_of(unique.begin(), unique.end(), [&](const QuizChoice &u) { return u.outcome == c.outcome; });
        if (!seen && unique.size() < 4)
            unique.push_back(std::move(c));
    }
    const std::size_t shift = static_cast<std::size_t>(q->number + q->pid) % unique.size();
    std::rotate(unique.begin(), unique.begin() + static_cast<std::ptrdiff_t>(shift), unique.end());
    q->correct = static_cast<int>((unique.size() - shift) % unique.size());
    q->choices = std::move(unique);
}

QuizGenerator::Verdict askRead(const Event &gate, const ProcessInfo &self, const RunState &state,
    const QuizGenerator::Context &context, QuizQuestion *q)
{
    const auto it = self.fds.find(gate.fd);
    if (it == self.fds.end() || it->second.writeEnd || gate.requested <= 0 || !isPipe(context, self.pid, gate.fd))
        return QuizGenerator::Verdict::NoLesson;
    const PipeEndRef end = it->second;
    const PipeInfo *pipe = state.pipe(end.inode);
    // An exec'd program's reads and writes are not counted: the fill is a guess.
    if (!pipe || pipe->externalWriter || pipe->externalReader || pipe->fillMeasured())
        return QuizGenerator::Verdict::NoLesson;
    if (busyHolder(state, context, self.pid, end.inode, true) || busyHolder(state, context, self.pid, end.inode, false))
        return QuizGenerator::Verdict::Undetermined;
    const std::int64_t n = gate.requested;
    const std::int64_t m = pipe->inBuffer();
    const int writers = state.openEnds(end.inode, true);
    const std::string call = "read(" + std::to_string(gate.fd) + ", buf, " + std::to_string(n) + ")";
    q->prompt = who(self) + " calls " + call + ". What does the kernel do?";
    const std::string ends = writers == 0
        ? "no write end is open anywhere"
        : plural(writers, "write end is", "write ends are") + " open (" + holders(state, end.inode, true) + ")";
    q->situation = "The pipe holds " + plural(m, "byte", "bytes") + "; " + ends + "."
        + (end.nonBlocking ? " The read end is O_NONBLOCK." : "");
    const auto blocks = choice(Kind::Blocked, "It sleeps until data arrives or every write end is closed");
    const auto eof = choice(Kind::Eof, "It returns 0: end of file");
    const auto again = choice(Kind::WouldBlock, "It fails at once with EAGAIN");
    if (m > 0) {
        const std::int64_t got = std::min(n, m);
        q->topic = "a read of " + std::to_string(n) + " with " + std::to_string(m) + " bytes in the pipe";
        q->reason = got < m ? "a read never returns more than asked: " + std::to_string(got) + " bytes, and "
                + std::to_string(m - got) + " stay in the pipe"
                            : "a read returns what the pipe holds, up to the size asked; it does not wait for more";
        std::vector<QuizChoice> list {choice(Kind::Returned, "It returns " + std::to_string(got) + " bytes", got)};
        if (n > m)
            list.push_back(choice(Kind::Blocked, "It waits until all " + std::to_string(n) + " bytes are there"));
        else
            list.push_back(choice(Kind::Returned, "It returns all " + std::to_string(m) + " bytes", m));
        list.push_back(eof);
        list.push_back(end.nonBlocking ? again : blocks);
        finish(q, std::move(list));
        return QuizGenerator::Verdict::Ask;
    }
    if (writers == 0) {
        q->topic = "a read on an empty pipe with no writer left";
        q->reason = "no write end is open, so no byte can ever arrive: read returns 0, end of file";
        finish(q, {eof, blocks, again});
        return QuizGenerator::Verdict::Ask;
    }
    const bool ownsWriter = std::any_of(self.fds.begin(), self.fds.end(),
        [&](const auto &f) { return f.second.inode == end.inode && f.second.writeEnd; });
    if (end.nonBlocking) {
        q->topic = "an O_NONBLOCK read on an empty pipe";
        q->reason = "O_NONBLOCK: where a read would sleep (empty pipe, a writer left) it fails with EAGAIN instead";
        finish(q, {again, blocks, eof});
        return QuizGenerator::Verdict::Ask;
    }
    q->topic = "a read on an empty pipe, a writer left";
    q->reason = ownsWriter ? "the pipe is empty and a write end is open, its own among them: read sleeps, and "
                             "only a write or the last close can wake it"
                           : "the pipe is empty but a write end is open, so data may still come: read sleeps";
    finish(q, {blocks, eof, again});
    return QuizGenerator::Verdict::Ask;
}

QuizGenerator::Verdict askWrite(const Event &gate, const ProcessInfo &self, const RunState &state,
    const QuizGenerator::Context &context, QuizQuestion *q)
{
    const auto it = self.fds.find(gate.fd);
    if (it == self.fds.end() || !it->second.writeEnd || gate.requested <= 0 || !isPipe(context, self.pid, gate.fd))
        return QuizGenerator::Verdict::NoLesson;
    const PipeEndRef end = it->second;
    const PipeInfo *pipe = state.pipe(end.inode);
    if (!pipe)
        return QuizGenerator::Verdict::NoLesson;
    if (busyHolder(state, context, self.pid, end.inode, false) || busyHolder(state, context, self.pid, end.inode, true))
        return QuizGenerator::Verdict::Undetermined;
    const std::int64_t n = gate.requested;
    const int readers = state.openEnds(end.inode, false);
    const std::string call = "write(" + std::to_string(gate.fd) + ", buf, " + std::to_string(n) + ")";
    q->prompt = who(self) + " calls " + call + ". What does the kernel do?";
    const auto all = choice(Kind::Returned, "It writes all " + std::to_string(n) + " bytes at once", n);
    const auto blocks = choice(Kind::Blocked, "It sleeps until a reader makes room");
    const auto again = choice(Kind::WouldBlock, "It fails at once with EAGAIN");
    const auto epipe = choice(Kind::BrokenPipe, "It fails with EPIPE");
    const auto killed = choice(Kind::KilledBySigpipe, "SIGPIPE kills the writer");
    if (readers == 0) {
        const auto ignored = context.sigpipeIgnored ? context.sigpipeIgnored(self.pid) : std::nullopt;
        if (!ignored)
            return QuizGenerator::Verdict::NoLesson;
        q->topic = "a write with no reader left";
        q->situation = "No read end of the pipe is open anywhere; " + self.role
            + (*ignored ? " ignores SIGPIPE." : " has SIGPIPE at its default (terminate).");
        q->reason = *ignored ? "nobody can ever read it: the kernel refuses the write with EPIPE (SIGPIPE is ignored)"
                             : "nobody can ever read it: the kernel sends SIGPIPE, whose default action ends the "
                               "writer";
        finish(q, {*ignored ? epipe : killed, all, blocks, *ignored ? killed : epipe});
        return QuizGenerator::Verdict::Ask;
    }
    // Only a full pipe is certain: how the kernel packs bytes into pages is not in the counters.
    if (pipe->externalReader || pipe->externalWriter || pipe->fillMeasured() || pipe->capacity <= 0
        || pipe->inBuffer() < pipe->capacity)
        return QuizGenerator::Verdict::NoLesson;
    q->topic = end.nonBlocking ? "an O_NONBLOCK write into a full pipe" : "a write into a full pipe";
    q->situation = "The pipe holds " + std::to_string(pipe->inBuffer()) + " of " + std::to_string(pipe->capacity)
        + " bytes; " + plural(readers, "read end is", "read ends are") + " open (" + holders(state, end.inode, false)
        + ")." + (end.nonBlocking ? " The write end is O_NONBLOCK." : "");
    q->reason = end.nonBlocking ? "the pipe is full and the end is O_NONBLOCK: the write fails with EAGAIN"
                                : "a pipe is a bounded buffer: with no room left the writer sleeps until a read "
                                  "frees space";
    finish(q, {end.nonBlocking ? again : blocks, all, end.nonBlocking ? blocks : again, epipe});
    return QuizGenerator::Verdict::Ask;
}

QuizGenerator::Verdict askSelect(const Event &gate, const ProcessInfo &self, const RunState &state,
    const QuizGenerator::Context &context, QuizQuestion *q)
{
    std::vector<int> watched;
    std::vector<int> ready;
    std::string full;
    for (int fd = 0; fd < Event::kMaxFd; ++fd) {
        if (!Event::bit(gate.watched, fd))
            continue;
        watched.push_back(fd);
        const auto it = self.fds.find(fd);
        if (it == self.fds.end() || it->second.writeEnd || !isPipe(context, self.pid, fd))
            return QuizGenerator::Verdict::NoLesson;
        const PipeInfo *pipe = state.pipe(it->second.inode);
        if (!pipe || pipe->externalWriter || pipe->fillMeasured())
            return QuizGenerator::Verdict::NoLesson;
        if (busyHolder(state, context, self.pid, it->second.inode, true))
            return QuizGenerator::Verdict::Undetermined;
        const std::int64_t m = pipe->inBuffer();
        const int writers = state.openEnds(it->second.inode, true);
        if (m > 0 || writers == 0) {
            ready.push_back(fd);
            full += (full.empty() ? "" : "; ") + std::string("fd ") + std::to_string(fd)
                + (m > 0 ? " holds " + plural(m, "byte", "bytes") : " has no writer left");
        }
    }
    // An empty answer with no timeout would wait for ever: nothing to reveal.
    if (watched.empty() || (ready.empty() && gate.requested < 0))
        return QuizGenerator::Verdict::NoLesson;
    auto setText = [&](const std::vector<int> &fds) {
        if (fds.empty())
            return "None: it waits " + std::to_string(gate.requested) + " ms and returns 0";
        std::string s = fds.size() == 1 ? "fd " : "fds ";
        for (std::size_t i = 0; i < fds.size(); ++i)
            s += (i ? (i + 1 == fds.size() ? " and " : ", ") : "") + std::to_string(fds[i]);
        return s;
    };
    std::vector<int> others;
    for (int fd : watched)
        if (std::find(ready.begin(), ready.end(), fd) == ready.end())
            others.push_back(fd);
    q->topic = "select's ready set";
    std::string list;
    for (int fd : watched)
        list += (list.empty() ? "" : ", ") + std::to_string(fd);
    q->prompt = who(self) + " calls select() on the read ends " + list + " (timeout " + std::to_string(gate.requested)
        + " ms). Which does it report readable?";
    q->situation = ready.empty() ? "Every watched pipe is empty and each still has a writer." : full + ".";
    q->reason = "a read end is ready when a read would not sleep: its pipe holds data, or no write end is left (EOF)";
    finish(q,
        {choice(Kind::Ready, setText(ready), 0, ready), choice(Kind::Ready, setText(watched), 0, watched),
            choice(Kind::Ready, setText({}), 0, {}), choice(Kind::Ready, setText(others), 0, others)});
    return q->choices.size() >= 2 ? QuizGenerator::Verdict::Ask : QuizGenerator::Verdict::NoLesson;
}

QuizGenerator::Verdict askWait(const Event &gate, const ProcessInfo &self, const RunState &state,
    const QuizGenerator::Context &context, QuizQuestion *q)
{
    const auto target = static_cast<pid_t>(gate.requested);
    const ProcessInfo *child = target > 0 ? state.process(target) : nullptr;
    if (!child || child->parent != self.pid || child->state == ProcessState::Reaped)
        return QuizGenerator::Verdict::NoLesson;
    if (context.busy.count(target) != 0)
        return QuizGenerator::Verdict::Undetermined;
    q->prompt = who(self) + " calls waitpid(" + std::to_string(target) + "). What happens?";
    const auto atOnce = choice(Kind::Collected, "It returns at once with the child's exit status", target);
    const auto blocks = choice(Kind::Blocked, "It sleeps until the child exits");
    const auto echild = choice(Kind::Failed, "It fails with ECHILD: the child is gone", ECHILD);
    if (child->state == ProcessState::Exited) {
        q->topic = "waitpid of a zombie";
        q->situation = who(*child) + " has exited and nobody has waited for it: it is a zombie (state Z).";
        q->reason = "a zombie is an exited child whose status waits to be collected: waitpid takes it at once";
        finish(q, {atOnce, blocks, echild});
        return QuizGenerator::Verdict::Ask;
    }
    q->topic = "waitpid of a running child";
    q->situation = who(*child) + " has not exited: it is " + processStateName(child->state)
        + (child->detail.empty() ? "" : " (" + child->detail + ")") + ".";
    q->reason = "waitpid collects an exit; until the child exits there is none, so the parent sleeps";
    finish(q, {blocks, atOnce, echild});
    return QuizGenerator::Verdict::Ask;
}

} // namespace

QuizGenerator::Verdict QuizGenerator::ask(
    const Event &gate, const RunState &state, const Context &context, QuizQuestion *out)
{
    if (gate.kind != EventKind::GateWait)
        return Verdict::NoLesson;
    const ProcessInfo *self = state.process(gate.pid);
    if (!self || gone(*self) || self->external)
        return Verdict::NoLesson;
    QuizQuestion q = *out;
    q.pid = gate.pid;
    q.role = self->role;
    q.call = gate.pending;
    q.fd = gate.fd;
    q.requested = gate.requested;
    Verdict v = Verdict::NoLesson;
    switch (gate.pending) {
    case EventKind::Read: v = askRead(gate, *self, state, context, &q); break;
    case EventKind::Write: v = askWrite(gate, *self, state, context, &q); break;
    case EventKind::Select: v = askSelect(gate, *self, state, context, &q); break;
    case EventKind::Wait: v = askWait(gate, *self, state, context, &q); break;
    default: break;
    }
    if (v == Verdict::Ask)
        *out = std::move(q);
    return v;
}

} // namespace pipescope
