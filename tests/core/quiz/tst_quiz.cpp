// Quiz mode's promise: the answer marked correct is the answer the kernel then
// gives. Every scenario of the catalogue runs many times (and the lessons with
// the variants that change their answers) under the quiz driver, with nobody
// guessing: wherever the generator asks, the question is revealed at once, the
// held call is released, and the kernel's outcome must be the marked choice.
// The lessons must ask their question: no-close-eof a read that blocks with a
// write end open, epipe a write with no reader, capacity a write into a full
// pipe, nonblocking EAGAIN, select its ready set, zombie a waitpid of a zombie.
#include "runharness.h"

#include "core/model/runstate.h"
#include "core/quiz/quizdriver.h"
#include "core/quiz/quizgenerator.h"
#include "core/quiz/quizjudge.h"
#include "core/scenarios/scenariocatalog.h"
#include "core/session/runsession.h"

#include <QtTest>

#include <sys/syscall.h>
#include <time.h>

#include <map>
#include <set>
#include <utility>
#include <vector>

using namespace pipescope;

namespace
{

using Assignments = std::vector<std::pair<std::string, std::string>>;

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

/// Small parameters, so a run takes a fraction of a second stepped call by call.
Assignments quick(const std::string &name)
{
    static const std::map<std::string, Assignments> overrides = {
        {"large-transfer", {{"total", "128K"}}},
        {"nonblocking", {{"delay-ms", "30"}, {"retry-ms", "10"}}},
        {"capacity", {{"reader-delay-ms", "50"}}},
        {"deadlock", {{"bytes", "128K"}}},
        {"epipe", {{"bytes", "128K"}}},
        {"atomic-writes", {{"size", "8K"}, {"records", "2"}}},
        {"zombie", {{"zombie-ms", "100"}}},
        {"select", {{"pipes", "3"}, {"written", "2"}, {"timeout-ms", "200"}}},
    };
    const auto it = overrides.find(name);
    return it == overrides.end() ? Assignments {} : it->second;
}

/// The variants that change a lesson's answers (the other outcome of the same call).
std::vector<Assignments> variants(const std::string &name)
{
    std::vector<Assignments> out {quick(name)};
    auto with = [&](Assignments more) {
        Assignments a = quick(name);
        for (const auto &[key, value] : more) {
            std::erase_if(a, [&](const auto &kv) { return kv.first == key; });
            a.emplace_back(key, value);
        }
        out.push_back(a);
    };
    if (name == "no-close-eof" || name == "zombie" || name == "capacity" || name == "deadlock")
        with({{"fixed", "true"}});
    if (name == "epipe") {
        with({{"ignore-sigpipe", "true"}});
        with({{"read-bytes", "100"}});
    }
    if (name == "capacity")
        with({{"capacity", "8K"}, {"chunk", "8K"}});
    if (name == "select") {
        with({{"pipes", "2"}, {"written", "0"}, {"timeout-ms", "100"}});
        with({{"pipes", "4"}, {"written", "4"}});
    }
    return out;
}

struct RunResult {
    std::vector<QuizVerdict> verdicts;
    int outcome = -1;
    std::string problem;
};

/// One run under the driver, every question revealed without a guess. A run that
/// hangs for good (every process asleep, nothing held: a pitfall's point) is cancelled.
RunResult runQuiz(const std::string &scenario, const Assignments &assignments)
{
    RunResult result;
    RunRequest request;
    request.scenario = scenario;
    request.assignments = assignments;
    request.mode = RunMode::Step;
    request.gateExits = true;
    request.timeLimitMs = 30000;
    std::string error;
    auto session = RunSession::start(request, &error);
    if (!session) {
        result.problem = "cannot start: " + error;
        return result;
    }
    RunState state;
    QuizDriver driver([&](pid_t pid) { session->stepProcess(pid); });
    driver.setAskRepeats(true); // every question it would ask, to check each one
    std::int64_t lastActivity = nowNs();
    bool cancelled = false;
    for (;;) {
        std::vector<Event> batch;
        const bool more = session->waitForEvents(&batch, 10);
        const std::int64_t now = nowNs();
        for (const Event &e : batch) {
            state.apply(e);
            state.applyCounters(session->shared());
            driver.apply(e, state, now);
        }
        if (!batch.empty())
            lastActivity = now;
        state.applyCounters(session->shared());
        if (driver.poll(state, now))
            lastActivity = now;
        if (driver.question()) {
            driver.answer(-1, now); // nobody guesses: reveal at once
            lastActivity = now;
        }
        if (!more || session->finished())
            break;
        // Idle for a while with nothing to release and no call to judge: a hang the run is about.
        if (!cancelled && !driver.judging() && now - lastActivity > 1500 * std::int64_t {1000000}) {
            session->cancel();
            cancelled = true;
        }
    }
    result.outcome = session->outcome();
    session->shutdown();
    result.verdicts = driver.verdicts();
    return result;
}

std::string describe(const QuizVerdict &v)
{
    std::string s = v.question.topic + " | " + v.question.situation + " | " + v.question.prompt + " | marked: "
        + v.question.choices[static_cast<std::size_t>(v.question.correct)].text + " | kernel: " + v.actual.describe();
    return s;
}

} // namespace

class TestQuiz : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theMarkedAnswerIsTheKernels();
    void choicesAreDistinctAndSeveral();
};

void TestQuiz::theMarkedAnswerIsTheKernels()
{
    // The lesson each of these must ask at least once, over all its runs.
    const std::map<std::string, std::string> lessons = {
        {"no-close-eof", "a read on an empty pipe, a writer left"},
        {"epipe", "a write with no reader left"},
        {"capacity", "a write into a full pipe"},
        {"nonblocking", "an O_NONBLOCK read on an empty pipe"},
        {"select", "select's ready set"},
        {"zombie", "waitpid of a zombie"},
    };
    constexpr int kRounds = 3;
    std::map<std::string, int> asked;
    std::map<std::string, std::set<std::string>> topics;
    std::map<std::string, std::set<int>> outcomeKinds;
    int total = 0;
    // Runs every variant of one scenario once; false when a check failed (QVERIFY has returned).
    const auto runAll = [&](const std::string &name) {
        for (const Assignments &a : variants(name)) {
            const RunResult r = runQuiz(name, a);
            [&] {
                QVERIFY2(r.problem.empty(), (name + ": " + r.problem).c_str());
                QVERIFY2(test::noChildrenLeft(), name.c_str());
                for (const QuizVerdict &v : r.verdicts) {
                    QVERIFY2(v.predicted(), (name + ": " + describe(v)).c_str());
                    QVERIFY(v.question.choices.size() >= 2 && v.question.choices.size() <= 4);
                    topics[name].insert(v.question.topic.rfind("a read of ", 0) == 0 ? "a read of N with M buffered"
                                                                                     : v.question.topic);
                    outcomeKinds[name].insert(static_cast<int>(v.actual.kind));
                    ++asked[name];
                    ++total;
                }
            }();
            if (QTest::currentTestFailed())
                return false;
        }
        return true;
    };
    for (int round = 0; round < kRounds; ++round)
        for (const Scenario *s : ScenarioCatalog::all())
            if (!runAll(std::string(s->name())))
                return;
    // Both sides of a lesson must come up. On a busy machine a question is sometimes left unasked in a
    // run (a process outside the hold could still have changed its answer), so a lesson whose other side
    // has not come up yet runs again, a bounded number of times, before the check below.
    const std::vector<std::pair<std::string, QuizOutcome::Kind>> sides = {
        {"no-close-eof", QuizOutcome::Kind::Eof},
        {"no-close-eof", QuizOutcome::Kind::Blocked},
        {"epipe", QuizOutcome::Kind::BrokenPipe},
        {"epipe", QuizOutcome::Kind::KilledBySigpipe},
        {"zombie", QuizOutcome::Kind::Collected},
        {"nonblocking", QuizOutcome::Kind::WouldBlock},
    };
    for (const auto &[name, kind] : sides)
        for (int extra = 0; extra < 10 && !outcomeKinds[name].count(static_cast<int>(kind)); ++extra)
            if (!runAll(name))
                return;
    for (const Scenario *s : ScenarioCatalog::all()) {
        const std::string name(s->name());
        std::string list;
        for (const std::string &t : topics[name])
            list += (list.empty() ? "" : "; ") + t;
        qInfo("%-16s %3d questions: %s", name.c_str(), asked[name], list.c_str());
    }
    qInfo("%d questions in all, every marked answer the kernel's", total);
    for (const auto &[name, topic] : lessons)
        QVERIFY2(topics[name].count(topic) == 1, (name + " never asked: " + topic).c_str());
    // Both sides of a lesson came up: EOF and a block on an empty pipe, EPIPE and SIGPIPE.
    for (const auto &[name, kind] : sides)
        QVERIFY2(outcomeKinds[name].count(static_cast<int>(kind)),
            (name + ": never answered " + std::to_string(static_cast<int>(kind))).c_str());
}

void TestQuiz::choicesAreDistinctAndSeveral()
{
    // A read of 256 with 21 bytes buffered and the writer held: the generator's own words.
    RunState state;
    Event e;
    e.kind = EventKind::ProcessStarted;
    e.pid = 10;
    e.setText("parent");
    state.apply(e);
    e = Event();
    e.kind = EventKind::PipeCreated;
    e.pid = 10;
    e.fd = 3;
    e.fd2 = 4;
    e.inode = 77;
    e.requested = 65536;
    e.startNs = 1;
    state.apply(e);
    e = Event();
    e.kind = EventKind::Write;
    e.pid = 10;
    e.fd = 4;
    e.inode = 77;
    e.requested = 21;
    e.result = 21;
    e.startNs = 1;
    state.apply(e);
    Event gate;
    gate.kind = EventKind::GateWait;
    gate.pending = EventKind::Read;
    gate.pid = 10;
    gate.fd = 3;
    gate.requested = 256;
    QuizQuestion q;
    QCOMPARE(QuizGenerator::ask(gate, state, {}, &q), QuizGenerator::Verdict::Ask);
    QVERIFY(q.choices.size() >= 3);
    QCOMPARE(q.choices[static_cast<std::size_t>(q.correct)].outcome.kind, QuizOutcome::Kind::Returned);
    QCOMPARE(q.choices[static_cast<std::size_t>(q.correct)].outcome.value, 21);
    for (std::size_t i = 0; i < q.choices.size(); ++i)
        for (std::size_t j = i + 1; j < q.choices.size(); ++j)
            QVERIFY(!(q.choices[i].outcome == q.choices[j].outcome));
    // The same call with a busy writer is not asked: the writer could still change the answer.
    QuizGenerator::Context busy;
    busy.busy.insert(11);
    Event child;
    child.kind = EventKind::ProcessStarted;
    child.pid = 11;
    child.otherPid = 10;
    child.setText("child");
    state.apply(child);
    QuizQuestion q2;
    QCOMPARE(QuizGenerator::ask(gate, state, busy, &q2), QuizGenerator::Verdict::Undetermined);
    // Judged: the kernel's Read event of 21 bytes is the marked choice.
    Event result;
    result.kind = EventKind::Read;
    result.pid = 10;
    result.fd = 3;
    result.startNs = 5;
    result.requested = 256;
    result.result = 21;
    const auto outcome = QuizJudge::outcome(q, result);
    QVERIFY(outcome.has_value());
    QCOMPARE(QuizJudge::choiceOf(q, *outcome), q.correct);

    // Just released, the process may still sleep in its gate's futex: that look (as BlockWatch sends it: no
    // syscall read for a futex) is not the read's answer (the sanitizer build saw a quiz marked wrong so).
    // Asleep in read(3) is.
    Event gateWait;
    gateWait.kind = EventKind::Blocked;
    gateWait.pid = 10;
    gateWait.fd = -1;
    gateWait.requested = -1;
    gateWait.setText("held at its gate [futex_do_wait]");
    QVERIFY(!QuizJudge::outcome(q, gateWait).has_value());
    Event otherFd = gateWait;
    otherFd.requested = SYS_read;
    otherFd.fd = 5;
    otherFd.setText("blocked in read(5): pipe empty [anon_pipe_read]");
    QVERIFY(!QuizJudge::outcome(q, otherFd).has_value());
    Event asleep = otherFd;
    asleep.fd = 3;
    asleep.setText("blocked in read(3): pipe empty [anon_pipe_read]");
    const auto slept = QuizJudge::outcome(q, asleep);
    QVERIFY(slept.has_value());
    QCOMPARE(slept->kind, QuizOutcome::Kind::Blocked);
    // A waitpid question: asleep in waitpid (named by the probe's words; no syscall is read for it) is its
    // answer, the gate is not.
    QuizQuestion wait = q;
    wait.call = EventKind::Wait;
    wait.fd = -1;
    QVERIFY(!QuizJudge::outcome(wait, gateWait).has_value());
    Event waiting = gateWait;
    waiting.requested = -1;
    waiting.setText("waiting in waitpid() [do_wait]");
    const auto waited = QuizJudge::outcome(wait, waiting);
    QVERIFY(waited.has_value());
    QCOMPARE(waited->kind, QuizOutcome::Kind::Blocked);
}

QTEST_GUILESS_MAIN(TestQuiz)
#include "tst_quiz.moc"
