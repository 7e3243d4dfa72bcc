#pragma once

#include "core/model/event.h"
#include "core/quiz/quizgenerator.h"
#include "core/quiz/quizquestion.h"

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pipescope
{

class RunState;

/// Quiz mode's hand on the gates. The run stays in Step mode (nothing opens a
/// gate by itself, and every process also waits before it exits), and the driver
/// releases held calls one at a time, oldest first, at its pace. Before it
/// releases a call that is a lesson, it asks the generator; a question holds every
/// gate until it is answered, then only the asked call is released, and nothing
/// else moves until the kernel has answered it (its result, a block, or SIGPIPE).
/// Plain logic: the caller feeds events and time, and the release callback opens a gate.
class QuizDriver
{
public:
    using Release = std::function<void(pid_t)>;

    /// A call undetermined because of a busy process waits this long for it to settle, then goes unasked.
    static constexpr int kSettleMs = 150;
    /// A released call with no answer after this long is looked at in /proc (a block no event reported).
    static constexpr int kLookMs = 120;

    explicit QuizDriver(Release release);

    /// Questions on or off; off, the driver only paces the gates.
    void setAsking(bool on) { m_asking = on; }
    bool asking() const { return m_asking; }
    /// Off (the default): a lesson is asked once per process (the same call with the same
    /// kind of answer is not asked again); on: every time (tests).
    void setAskRepeats(bool on) { m_askRepeats = on; }
    /// Calls that reached their gate before nowNs are not asked about: taking over a run
    /// that was paced, a gate may have been opened by the pace before the runner held them all.
    void askOnlyAfter(std::int64_t nowNs) { m_askAfterNs = nowNs; }
    /// The least time between two releases (0: as soon as the previous call settled).
    void setPaceMs(int ms) { m_paceMs = ms; }
    /// Paused: nothing is released until resumed (a question is still answered).
    void setPaused(bool paused) { m_paused = paused; }
    bool paused() const { return m_paused; }
    /// Whether pid ignores SIGPIPE (default: /proc).
    void setSigpipeProbe(std::function<std::optional<bool>(pid_t)> probe) { m_sigpipe = std::move(probe); }

    /// Feed every event, after folding it into state.
    void apply(const Event &e, const RunState &state, std::int64_t nowNs);
    /// Releases what is due or asks; call after each batch and on a timer. Returns true when a question was asked
    /// or answered by the kernel since the last call (the caller redraws).
    bool poll(const RunState &state, std::int64_t nowNs);
    /// Releases the oldest held call now (the lecturer's Step), unless a question is open; false when nothing was.
    bool stepNow(const RunState &state, std::int64_t nowNs);

    /// The question on screen, waiting for a guess.
    const QuizQuestion *question() const { return m_question ? &*m_question : nullptr; }
    /// True while the answered question's call runs and the kernel has not answered yet.
    bool judging() const { return m_judging.has_value(); }
    /// The guess (index into the choices, -1: none) for the open question: its call is released.
    bool answer(int guess, std::int64_t nowNs);
    const std::vector<QuizVerdict> &verdicts() const { return m_verdicts; }
    int asked() const { return m_asked; }
    /// Guesses that matched the kernel.
    int right() const;
    /// Guesses made (questions revealed without one do not count).
    int guessed() const;

private:
    struct Held {
        Event gate;
        std::int64_t sinceNs = 0;
    };
    bool advance(const RunState &state, std::int64_t nowNs, bool stepping);
    void release(std::size_t index, std::int64_t nowNs);
    bool stuck(pid_t pid, const RunState &state) const;
    QuizGenerator::Context context(const RunState &state, pid_t asker) const;
    bool anyBusy(const RunState &state) const;
    void conclude(const QuizOutcome &outcome);
    void judge(std::int64_t nowNs);

    Release m_release;
    std::function<std::optional<bool>(pid_t)> m_sigpipe;
    bool m_asking = true;
    bool m_askRepeats = false;
    std::int64_t m_askAfterNs = 0;
    std::set<std::string> m_askedLessons; ///< pid, call and kind of answer of the questions asked
    bool m_paused = false;
    int m_paceMs = 0;
    std::deque<Held> m_held; ///< at their gates, oldest first
    std::map<pid_t, Event> m_inFlight; ///< released, their call not answered yet: the gate they left
    std::int64_t m_lastReleaseNs = 0;
    std::int64_t m_undeterminedSinceNs = 0;
    std::uint64_t m_undeterminedSeq = 0;
    std::uint64_t m_skipSeq = 0; ///< a gate given up on: released unasked
    std::optional<QuizQuestion> m_question;
    struct Judging {
        QuizQuestion question;
        int guess = -1;
        std::int64_t releasedNs = 0;
    };
    std::optional<Judging> m_judging;
    bool m_changed = false;
    int m_asked = 0;
    std::vector<QuizVerdict> m_verdicts;
};

} // namespace pipescope
