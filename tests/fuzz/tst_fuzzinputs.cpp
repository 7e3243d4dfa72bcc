// Bounded random inputs to every parser of user input: the scenarios'
// parameters (ScenarioCatalog::resolve) and the command lines of run, trace and
// watch. Each input is a valid one mutated; each answer must be an acceptance
// that keeps the parser's promises or a refusal with one clear line. The seed
// is printed; PIPESCOPE_FUZZ_SEED and PIPESCOPE_FUZZ_COUNT change it and the
// number of inputs (libFuzzer runs the same checks for longer: tests/fuzz).
#include "inputfuzzer.h"
#include "inputmutator.h"

#include "app/pipescope-cli/errorline.h"
#include "core/scenarios/scenariocatalog.h"

#include <QtTest>

using namespace pipescope;
using namespace pipescope::fuzz;

namespace
{

std::string printable(const std::vector<std::string> &argv)
{
    std::string out;
    for (const std::string &a : argv)
        out += (out.empty() ? "" : " ") + quoteForMessage(a);
    return out;
}

} // namespace

class TestFuzzInputs : public QObject
{
    Q_OBJECT

private:
    static std::uint64_t seed()
    {
        bool ok = false;
        const qulonglong s = qEnvironmentVariable("PIPESCOPE_FUZZ_SEED").toULongLong(&ok);
        return ok ? s : 20261130;
    }
    static int count(int fallback)
    {
        bool ok = false;
        const int n = qEnvironmentVariableIntValue("PIPESCOPE_FUZZ_COUNT", &ok);
        return ok && n > 0 ? n : fallback;
    }

private slots:
    void initTestCase() { qInfo("fuzz seed %llu (set PIPESCOPE_FUZZ_SEED to repeat another)", qulonglong(seed())); }

    // The seeds themselves are valid: a mutation of a broken seed tests little.
    void seedsAreAccepted()
    {
        for (const auto &argv : InputMutator::seedCommandLines()) {
            const auto problem = InputFuzzer::checkCommandLine(argv);
            QVERIFY2(!problem, (printable(argv) + ": " + problem.value_or("")).c_str());
        }
        for (const Scenario *s : ScenarioCatalog::all()) {
            const auto problem = InputFuzzer::checkAssignments(s->name(), {});
            QVERIFY2(!problem, problem.value_or("").c_str());
        }
    }

    // Refusals really are checked: a message of two lines is a finding.
    void messageRuleBites()
    {
        QVERIFY(!InputFuzzer::messageProblem("total: '1.5G' is not a size"));
        QVERIFY(InputFuzzer::messageProblem("two\nlines"));
        QVERIFY(InputFuzzer::messageProblem(""));
        QVERIFY(InputFuzzer::messageProblem("bad \xFF byte"));
        // What the CLI prints of a message with the user's newline in it is one line.
        QCOMPARE(
            cliErrorLine("unknown command 'a\nb'"), std::string("pipescope-cli: error: unknown command 'a\\x0Ab'\n"));
    }

    void parameters()
    {
        InputMutator mutator(seed());
        const auto &all = ScenarioCatalog::all();
        const int n = count(12000);
        int accepted = 0;
        for (int i = 0; i < n; ++i) {
            const Scenario *s = all[mutator.below(all.size())];
            const std::string name(s->name());
            std::vector<std::string> texts = InputMutator::seedAssignments(name);
            InputFuzzer::Assignments assignments;
            // Several assignments, some mutated, sometimes one key twice.
            for (std::uint64_t k = 0, m = mutator.below(5); k < m && !texts.empty(); ++k) {
                std::string text = texts[mutator.below(texts.size())];
                if (mutator.below(2))
                    text = mutator.mutateText(text, true);
                bool ok = false;
                auto pair = ParamValues::splitAssignment(text, &ok);
                if (ok)
                    assignments.push_back(pair);
                const auto single = InputFuzzer::checkAssignmentText(name, text);
                QVERIFY2(!single,
                    ("input " + std::to_string(i) + ", " + name + " " + quoteForMessage(text) + ": "
                        + single.value_or(""))
                        .c_str());
            }
            const std::string scenario = mutator.below(20) == 0 ? mutator.mutateText(name, true) : name;
            const auto problem = InputFuzzer::checkAssignments(scenario, assignments);
            QVERIFY2(!problem, ("input " + std::to_string(i) + ": " + problem.value_or("")).c_str());
            accepted += ScenarioCatalog::resolve(scenario, assignments).ok();
        }
        qInfo("%d parameter inputs, %d accepted, 0 findings", n, accepted);
        // Mutations that are never accepted, or always, would test one side only.
        QVERIFY(accepted > n / 20 && accepted < n - n / 20);
    }

    void commandLines()
    {
        InputMutator mutator(seed() + 1);
        const auto seeds = InputMutator::seedCommandLines();
        const int n = count(8000);
        for (int i = 0; i < n; ++i) {
            const auto argv = mutator.mutateCommandLine(seeds[mutator.below(seeds.size())]);
            const auto problem = InputFuzzer::checkCommandLine(argv);
            QVERIFY2(!problem,
                ("input " + std::to_string(i) + ": " + printable(argv) + ": " + problem.value_or("")).c_str());
        }
        qInfo("%d command lines, 0 findings", n);
    }

    // The GUI's reader of `trace --format jsonl` lines (EventJsonReader).
    void eventJsonLines()
    {
        const auto seeds = InputFuzzer::seedEventJsonLines();
        for (const std::string &line : seeds) {
            const auto problem = InputFuzzer::checkEventJsonLine(line);
            QVERIFY2(!problem, (line + ": " + problem.value_or("")).c_str());
        }
        InputMutator mutator(seed() + 3);
        const int n = count(6000);
        for (int i = 0; i < n; ++i) {
            std::string line = seeds[mutator.below(seeds.size())];
            for (std::uint64_t m = 0, k = 1 + mutator.below(3); m < k; ++m) {
                if (mutator.below(3) == 0) // a number or a value swapped for a nasty one
                    line.insert(mutator.below(line.size() + 1), mutator.nastyPiece());
                else
                    line = mutator.mutateText(line, true);
            }
            const auto problem = InputFuzzer::checkEventJsonLine(line);
            QVERIFY2(!problem, ("input " + std::to_string(i) + ": " + problem.value_or("")).c_str());
        }
        qInfo("%d jsonl lines, 0 findings", n);
    }

    // The GUI's reader of recordings (pipescope --replay): mutated, cut short, lines dropped.
    void recordings()
    {
        const std::string seed0 = InputFuzzer::seedRecording();
        const auto problem0 = InputFuzzer::checkRecording(seed0);
        QVERIFY2(!problem0, problem0.value_or("").c_str());
        InputMutator mutator(seed() + 4);
        const int n = count(1500);
        for (int i = 0; i < n; ++i) {
            std::string text = seed0;
            switch (mutator.below(3)) {
            case 0: text.resize(mutator.below(text.size() + 1)); break; // truncated anywhere
            case 1: text.insert(mutator.below(text.size() + 1), mutator.nastyPiece()); break;
            default: text = mutator.mutateText(text, true); break;
            }
            const auto problem = InputFuzzer::checkRecording(text);
            QVERIFY2(!problem, ("input " + std::to_string(i) + ": " + problem.value_or("")).c_str());
        }
        qInfo("%d recordings, 0 findings", n);
    }

    // libFuzzer's entry point on random byte strings, as a smoke of its own.
    void rawBytes()
    {
        InputMutator mutator(seed() + 2);
        const int n = count(2000);
        for (int i = 0; i < n; ++i) {
            std::string bytes;
            for (std::uint64_t k = 0, m = mutator.below(64); k < m; ++k)
                bytes += static_cast<char>(mutator.below(256));
            const auto problem
                = InputFuzzer::checkBytes(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
            QVERIFY2(!problem, ("input " + std::to_string(i) + ": " + problem.value_or("")).c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzInputs)
#include "tst_fuzzinputs.moc"
