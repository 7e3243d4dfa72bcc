#include "core/record/recordingheader.h"

#include "core/export/jsonwriter.h"
#include "core/lessons/codelisting.h"
#include "core/lessons/platforminfo.h"
#include "core/scenarios/scenariocatalog.h"

#include <ctime>

namespace pipescope
{

RecordingHeader RecordingHeader::forScenario(
    const std::string &name, const std::vector<std::pair<std::string, std::string>> &params)
{
    RecordingHeader h;
    h.describeThisMachine();
    h.sourceKind = "scenario";
    h.name = name;
    // Every value the run used, defaults included, so that the file says what ran without this build's catalogue.
    const ResolvedScenario resolved = ScenarioCatalog::resolve(name, params);
    if (resolved.ok()) {
        for (const auto &[key, value] : resolved.params.all())
            h.params.emplace_back(key, value);
    } else {
        h.params = params;
    }
    h.listing = listingOf(name);
    return h;
}

RecordingHeader RecordingHeader::forTrace(const std::vector<std::string> &argv)
{
    RecordingHeader h;
    h.describeThisMachine();
    h.sourceKind = "trace";
    h.argv = argv;
    return h;
}

void RecordingHeader::describeThisMachine()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc {};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    created = text;
    const PlatformInfo platform = PlatformInfo::read();
    kernel = platform.kernel();
    pipeCapacity = platform.defaultPipeCapacity();
    pipeBuf = platform.pipeBuf();
    pageSize = platform.pageSize();
}

std::string RecordingHeader::listingOf(const std::string &scenario)
{
    std::string text;
    for (const CodeProgram *program : CodeListing::programs(scenario)) {
        if (!text.empty())
            text += '\n';
        text += "/* " + program->title + " */\n";
        for (const CodeLine &line : program->lines)
            text += line.text + '\n';
    }
    return text;
}

std::string RecordingHeader::toJson() const
{
    JsonWriter facts;
    facts.add("pipe_capacity", pipeCapacity).add("pipe_buf", pipeBuf).add("page_size", pageSize);
    JsonWriter source;
    source.add("kind", sourceKind);
    if (sourceKind == "trace") {
        std::string list = "[";
        for (const std::string &arg : argv)
            list += (list.size() > 1 ? "," : "") + JsonWriter::quote(arg);
        source.addRaw("argv", list + "]");
    } else {
        source.add("name", name);
        JsonWriter values;
        for (const auto &[key, value] : params)
            values.add(key, value);
        source.addRaw("params", values.str());
    }
    JsonWriter o;
    o.add(kMagicKey, version).add("created", created).add("kernel", kernel);
    o.addRaw("host", facts.str()).addRaw("source", source.str());
    if (!listing.empty())
        o.add("listing", listing);
    return o.str();
}

} // namespace pipescope
