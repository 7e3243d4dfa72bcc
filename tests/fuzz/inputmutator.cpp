#include "inputmutator.h"

#include "core/model/paramspec.h"
#include "core/scenarios/scenariocatalog.h"

#include <algorithm>

namespace pipescope::fuzz
{

namespace
{

// What users and shells get wrong: numbers at and past every limit, signs,
// fractions, suffixes, spaces, invalid UTF-8 (overlong, surrogate, past
// U+10FFFF, lone continuation, truncated), control characters and flags.
const char *const kPieces[] = {"0", "-0", "+5", "-1", "1.5G", "1m", "1K", "4k", "1G", "1g", "2G", "1T", "0x10", "1e3",
    " 5", "5 ", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "99999999999999999999999", "8589934591G", "2147483647", "2147483648", "-2147483649", "true", "TRUE", "yes", "On",
    "off", "nope", "", "=", "==", "key=", "=value", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\x80",
    "\xE2\x82", "\xC3\xA9", "\xF0\x9F\x98\x80", "\x1B[2J", "\n", "\r\n", "\t", "\x7F", "--", "-", "--set",
    "--set=", "--format", "--format=", "--format=chrome", "--pace", "--pace=-1", "--step", "--watchdog", "--watchdog=5",
    "--output", "--interval", "--interval=5", "--pid", "--pid=1", "--pid=-1", "--help", "-h", "--version", "-x", "run",
    "trace", "watch", "list", "platform", "simple", "large-transfer", "cat", "'", "\"", "\\", "%s%n", "%1", "%2%3"};

} // namespace

InputMutator::InputMutator(std::uint64_t seed) : m_random(seed)
{
}

std::vector<std::string> InputMutator::seedAssignments(const std::string &scenario)
{
    std::vector<std::string> out;
    const Scenario *s = ScenarioCatalog::find(scenario);
    if (!s)
        return out;
    for (const ParamSpec &p : s->params()) {
        out.push_back(p.name + "=" + p.defaultValue);
        if (p.type == ParamType::Int || p.type == ParamType::Size) {
            out.push_back(p.name + "=" + std::to_string(p.min));
            out.push_back(p.name + "=" + std::to_string(p.max));
            out.push_back(p.name + "=" + std::to_string(p.max + 1));
            if (p.type == ParamType::Size)
                out.push_back(p.name + "=" + formatSize(p.max));
        }
    }
    return out;
}

std::vector<std::vector<std::string>> InputMutator::seedCommandLines()
{
    std::vector<std::vector<std::string>> out;
    for (const Scenario *s : ScenarioCatalog::all()) {
        std::vector<std::string> argv {"pipescope-cli", "run", std::string(s->name())};
        for (const ParamSpec &p : s->params()) {
            argv.push_back("--set");
            argv.push_back(p.name + "=" + p.defaultValue);
        }
        out.push_back(argv);
        argv.insert(argv.end(), {"--format", "jsonl", "--pace", "10", "--watchdog", "2000"});
        out.push_back(argv);
        out.push_back({"pipescope-cli", "run", std::string(s->name()), "--step", "--format=chrome"});
    }
    out.push_back({"pipescope-cli", "trace", "--", "cat"});
    out.push_back(
        {"pipescope-cli", "trace", "--format", "jsonl", "--pace", "10", "--output", "/tmp/x", "--", "sh", "-c", "a"});
    out.push_back({"pipescope-cli", "trace", "--step", "cat", "--format", "text"});
    out.push_back({"pipescope-cli", "watch", "--interval", "100", "--format=jsonl", "--pid", "1"});
    out.push_back({"pipescope-cli", "watch", "--", "sh", "-c", "yes | head -c 1M"});
    out.push_back({"pipescope-cli", "watch", "--format", "text", "--interval=50", "cat"});
    out.push_back({"pipescope-cli", "list"});
    out.push_back({"pipescope-cli", "platform"});
    out.push_back({"pipescope-cli", "--help"});
    return out;
}

std::string InputMutator::nastyPiece()
{
    return kPieces[below(sizeof kPieces / sizeof kPieces[0])];
}

std::string InputMutator::mutateText(std::string text, bool allowNul)
{
    const auto randomByte = [&]() {
        char c = static_cast<char>(below(256));
        return !allowNul && c == '\0' ? 'x' : c;
    };
    switch (below(9)) {
    case 0: // flip a byte
        if (!text.empty())
            text[below(text.size())] = randomByte();
        break;
    case 1: // insert a byte
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(below(text.size() + 1)), randomByte());
        break;
    case 2: // truncate
        text.resize(below(text.size() + 1));
        break;
    case 3: // empty
        text.clear();
        break;
    case 4: // replace the value after '=' by a nasty piece
        text = text.substr(0, text.find('=') == std::string::npos ? 0 : text.find('=') + 1) + nastyPiece();
        break;
    case 5: // insert a nasty piece anywhere
        text.insert(below(text.size() + 1), nastyPiece());
        break;
    case 6: // long: past every text bound (4096 'é' is 8192 bytes)
        for (std::uint64_t i = 0, n = 1 + below(5000); i < n; ++i)
            text += below(2) ? "\xC3\xA9" : "9";
        break;
    case 7: // a huge number with a suffix
        text = text.substr(0, text.find('=') == std::string::npos ? 0 : text.find('=') + 1)
            + std::string(1 + below(40), static_cast<char>('0' + below(10))) + "KMGkmgT"[below(7)];
        break;
    default: // a random string of random bytes
        text.clear();
        for (std::uint64_t i = 0, n = below(24); i < n; ++i)
            text += randomByte();
        break;
    }
    return text;
}

std::vector<std::string> InputMutator::mutateCommandLine(std::vector<std::string> argv)
{
    for (std::uint64_t m = 0, n = 1 + below(4); m < n; ++m) {
        const std::size_t pick = argv.size() < 2 ? 1 : 1 + below(argv.size() - 1);
        switch (below(7)) {
        case 0:
        case 1: // mutate one argument
            if (pick < argv.size())
                argv[pick] = mutateText(argv[pick], false);
            break;
        case 2: // duplicate an argument (a flag twice, its value twice)
            if (pick < argv.size())
                argv.insert(argv.begin() + static_cast<std::ptrdiff_t>(pick), argv[pick]);
            break;
        case 3: // drop an argument (a flag loses its value)
            if (pick < argv.size())
                argv.erase(argv.begin() + static_cast<std::ptrdiff_t>(pick));
            break;
        case 4: // insert a nasty argument
            argv.insert(argv.begin() + static_cast<std::ptrdiff_t>(std::min(pick, argv.size())), nastyPiece());
            break;
        case 5: // swap two arguments
            if (argv.size() > 2)
                std::swap(argv[pick], argv[1 + below(argv.size() - 1)]);
            break;
        default: // truncate the command line
            argv.resize(std::max<std::size_t>(1, below(argv.size() + 1)));
            break;
        }
    }
    return argv;
}

} // namespace pipescope::fuzz
