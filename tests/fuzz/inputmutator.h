#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace pipescope::fuzz
{

/// Deterministic bad inputs made from good ones: every valid command line and
/// assignment the scenarios' own specs allow, then mutated the ways users and
/// shells break them (random bytes, truncation, huge and signed numbers,
/// invalid UTF-8, empty arguments, duplicated and unknown flags). The same
/// seed gives the same inputs, so a failure printed with its seed reproduces.
class InputMutator
{
public:
    explicit InputMutator(std::uint64_t seed);

    /// Valid command lines (argv[0] first) for run, trace and watch.
    static std::vector<std::vector<std::string>> seedCommandLines();
    /// Valid "key=value" assignments of one scenario, from its specs.
    static std::vector<std::string> seedAssignments(const std::string &scenario);

    /// A mutated copy of a command line: 1 to 4 mutations, never a NUL byte
    /// (an argv cannot hold one); argv[0] is kept.
    std::vector<std::string> mutateCommandLine(std::vector<std::string> argv);
    /// A mutated copy of one value or assignment; may hold NUL bytes.
    std::string mutateText(std::string text, bool allowNul);
    /// A random choice from the pieces users get wrong (numbers, suffixes,
    /// bad UTF-8, flags).
    std::string nastyPiece();

    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : m_random() % n; }

private:
    std::mt19937_64 m_random;
};

} // namespace pipescope::fuzz
