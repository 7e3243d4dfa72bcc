#include "core/quiz/quizdriver.h"

#include "core/model/runstate.h"
#include "core/quiz/quizjudge.h"
#include "core/quiz/quizprobe.h"

#include <sys/syscall.h>

#include <algorithm>

namespace pipescope
{

namespace
{

constexpr std::int64_t kMs = 1000000;

bool gone(const ProcessInfo &p)
{
    return p.state == ProcessState::Exited || p.state == ProcessState::Reaped;
}

long syscallOf(EventKind call)
{
    switch (call) {
    case EventKind::Read: return SYS_read;
    case EventKind::Write: return SYS_write;
    case EventKind::Wait: return SYS_wait4;
    default: return -2;
    }
}

} // namespace

QuizDriver::QuizDriver(Release release) : m_release(std::move(release)), m_sigpipe(&QuizProbe::sigpipeIgnored)
{
}

void QuizDriver::apply(const Event &e, const RunState &state, std::int64_t nowNs)
{
    (void)state;
    if (e.kind == EventKind::GateWait) {
        m_held.push_back({e, nowNs});
    } else if (e.kind == EventKind::Exited || e.kind == EventKind::Reaped) {
        m_inFlight.erase(e.pid);
        std::erase_if(m_held, [&](const Held &h) { return h.gate.pid == e.pid; });
    } else if (e.startNs > 0 && isSyscallKind(e.kind)) {
        m_inFlight.erase(e.pid); // its call returned: it runs its own code up to its next gate
    }
    if (m_judging) {
        if (const auto outcome = QuizJudge::outcome(m_judging->question, e))
            conclude(*outcome);
    }
    if (e.kind == EventKind::RunFinished) {
        m_question.reset();
        if (m_judging)
            conclude({QuizOutcome::Kind::Failed, -1, {}});
        m_held.clear();
        m_inFlight.clear();
    }
}

bool QuizDriver::stuck(pid_t pid, const RunState &state) const
{
    // A released call that cannot return while every gate stays shut changes nothing:
    // a read of an empty pipe whose every writer is held, a waitpid of a held child,
    // a writer the kernel put to sleep on a pipe whose every reader is held.
    const auto it = m_inFlight.find(pid);
    const ProcessInfo *self = state.process(pid);
    if (it == m_inFlight.end() || !self)
        return false;
    const Event &gate = it->second;
    auto othersHeld = [&](std::uint64_t inode, bool writeEnd) {
        for (const ProcessInfo &p : state.processes()) {
            if (gone(p) || p.pid == pid)
                continue;
            const bool holds = std::any_of(p.fds.begin(), p.fds.end(),
                [&](const auto &f) { return f.second.inode == inode && f.second.writeEnd == writeEnd; });
            if (holds && (p.external || m_inFlight.count(p.pid) != 0))
                return false;
        }
        return true;
    };
    switch (gate.pending) {
    case EventKind::Read: {
        const auto end = self->fds.find(gate.fd);
        if (end == self->fds.end() || end->second.writeEnd || end->second.nonBlocking)
            return false;
        const PipeInfo *pipe = state.pipe(end->second.inode);
        if (!pipe || pipe->inBuffer() > 0 || pipe->externalWriter || state.openEnds(end->second.inode, true) == 0)
            return false;
        return othersHeld(end->second.inode, true);
    }
    case EventKind::Write: {
        const auto end = self->fds.find(gate.fd);
        if (end == self->fds.end() || !end->second.writeEnd || self->state != ProcessState::Blocked
            || self->detail.find("write") == std::string::npos || state.openEnds(end->second.inode, false) == 0)
            return false;
        // Blocked is a sample: once a read has made room (the counters say so at once), the
        // kernel wakes the writer, which writes before its Woken or Write can arrive.
        const PipeInfo *pipe = state.pipe(end->second.inode);
        constexpr std::int64_t kPage = 4096; // a blocked write waits for at least a page of room
        if (!pipe || pipe->capacity <= 0
            || pipe->capacity - pipe->inBuffer()
                >= std::min<std::int64_t>(std::max<std::int64_t>(gate.requested, 1), kPage))
            return false;
        return othersHeld(end->second.inode, false);
    }
    case EventKind::Wait: {
        const ProcessInfo *child = state.process(static_cast<pid_t>(gate.requested));
        return child && !gone(*child) && !child->external && m_inFlight.count(child->pid) == 0;
    }
    default: return false;
    }
}

QuizGenerator::Context QuizDriver::context(const RunState &state, pid_t asker) const
{
    QuizGenerator::Context c;
    c.sigpipeIgnored = m_sigpipe;
    c.isPipe = &QuizProbe::isPipe;
    for (const ProcessInfo &p : state.processes()) {
        if (gone(p) || p.pid == asker)
            continue;
        if (p.external || (m_inFlight.count(p.pid) != 0 && !stuck(p.pid, state)))
            c.busy.insert(p.pid);
    }
    return c;
}

bool QuizDriver::anyBusy(const RunState &state) const
{
    for (const auto &[pid, gate] : m_inFlight)
        if (!stuck(pid, state))
            return true;
    return false;
}

bool QuizDriver::poll(const RunState &state, std::int64_t nowNs)
{
    if (m_judging)
        judge(nowNs);
    else if (!m_question && !m_paused && (m_paceMs <= 0 || nowNs >= m_lastReleaseNs + m_paceMs * kMs))
        advance(state, nowNs, false);
    const bool changed = m_changed;
    m_changed = false;
    return changed;
}

bool QuizDriver::stepNow(const RunState &state, std::int64_t nowNs)
{
    if (m_question || m_judging || m_held.empty())
        return false;
    return advance(state, nowNs, true);
}

bool QuizDriver::advance(const RunState &state, std::int64_t nowNs, bool stepping)
{
    if (m_held.empty())
        return false;
    // One process moves at a time: the last one released finishes its call first
    // (unless it sleeps in the kernel), so the state a question reads is settled.
    if (!stepping && anyBusy(state) && nowNs < m_lastReleaseNs + kSettleMs * kMs)
        return false;
    const Event &head = m_held.front().gate;
    if (m_asking && head.seq != m_skipSeq && m_held.front().sinceNs >= m_askAfterNs) {
        QuizQuestion q;
        q.number = m_asked + 1;
        const auto verdict = QuizGenerator::ask(head, state, context(state, head.pid), &q);
        const std::string lesson = std::to_string(head.pid) + " " + eventKindName(head.pending) + " "
            + (verdict == QuizGenerator::Verdict::Ask
                    ? std::to_string(static_cast<int>(q.choices[static_cast<std::size_t>(q.correct)].outcome.kind))
                    : std::string());
        if (verdict == QuizGenerator::Verdict::Ask && !m_askRepeats && !m_askedLessons.insert(lesson).second) {
            release(0, nowNs); // asked already: once is a lesson, every time is a chore
            return true;
        }
        if (verdict == QuizGenerator::Verdict::Ask) {
            m_question = std::move(q);
            ++m_asked;
            m_changed = true;
            return true;
        }
        if (verdict == QuizGenerator::Verdict::Undetermined) {
            if (m_undeterminedSeq != head.seq) {
                m_undeterminedSeq = head.seq;
                m_undeterminedSinceNs = nowNs;
            }
            // Wait for the busy process to settle; a question the state cannot decide is not asked.
            if (!stepping && nowNs < m_undeterminedSinceNs + kSettleMs * kMs)
                return false;
            m_skipSeq = head.seq;
        }
    }
    release(0, nowNs);
    return true;
}

void QuizDriver::release(std::size_t index, std::int64_t nowNs)
{
    const Event gate = m_held[index].gate;
    m_held.erase(m_held.begin() + static_cast<std::ptrdiff_t>(index));
    m_inFlight[gate.pid] = gate;
    m_lastReleaseNs = nowNs;
    m_release(gate.pid);
}

bool QuizDriver::answer(int guess, std::int64_t nowNs)
{
    if (!m_question)
        return false;
    Judging j;
    j.question = std::move(*m_question);
    j.guess = guess >= 0 && guess < static_cast<int>(j.question.choices.size()) ? guess : -1;
    j.releasedNs = nowNs;
    m_question.reset();
    const auto it
        = std::find_if(m_held.begin(), m_held.end(), [&](const Held &h) { return h.gate.pid == j.question.pid; });
    m_judging = std::move(j);
    if (it == m_held.end()) {
        conclude({QuizOutcome::Kind::Failed, -1, {}});
        return true;
    }
    release(static_cast<std::size_t>(it - m_held.begin()), nowNs);
    return true;
}

void QuizDriver::judge(std::int64_t nowNs)
{
    const QuizQuestion &q = m_judging->question;
    const std::int64_t waited = nowNs - m_judging->releasedNs;
    // A block the runner's look has not reported yet (or cannot, where wchan reads 0):
    // nothing else moves, so a call asleep in its own syscall stays asleep.
    if (waited >= kLookMs * kMs && q.call != EventKind::Select && QuizProbe::asleepIn(q.pid) == syscallOf(q.call)) {
        conclude({QuizOutcome::Kind::Blocked, 0, {}});
        return;
    }
    const std::int64_t limitMs = q.call == EventKind::Select ? std::max<std::int64_t>(0, q.requested) + 10000 : 10000;
    if (waited >= limitMs * kMs)
        conclude({QuizOutcome::Kind::Failed, -1, {}});
}

void QuizDriver::conclude(const QuizOutcome &outcome)
{
    QuizVerdict v;
    v.question = std::move(m_judging->question);
    v.guess = m_judging->guess;
    v.actual = outcome;
    v.actualChoice = QuizJudge::choiceOf(v.question, outcome);
    m_verdicts.push_back(std::move(v));
    m_judging.reset();
    m_changed = true;
}

int QuizDriver::right() const
{
    return static_cast<int>(
        std::count_if(m_verdicts.begin(), m_verdicts.end(), [](const auto &v) { return v.right(); }));
}

int QuizDriver::guessed() const
{
    return static_cast<int>(
        std::count_if(m_verdicts.begin(), m_verdicts.end(), [](const auto &v) { return v.guess >= 0; }));
}

} // namespace pipescope
