#include "scenarios.h"

namespace pipescope
{

const Scenario *simpleScenario();
const Scenario *parentChildScenario();
const Scenario *bidirectionalScenario();
const Scenario *subprocessScenario();
const Scenario *nonblockingScenario();
const Scenario *selectScenario();
const Scenario *largeTransferScenario();

std::vector<const Scenario *> allScenarios()
{
    return {simpleScenario(), parentChildScenario(), bidirectionalScenario(), subprocessScenario(),
        nonblockingScenario(), selectScenario(), largeTransferScenario()};
}

} // namespace pipescope
