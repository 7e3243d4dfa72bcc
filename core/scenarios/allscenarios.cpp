#include "core/scenarios/scenarios.h"

namespace pipescope
{

const Scenario *simpleScenario();
const Scenario *parentChildScenario();
const Scenario *bidirectionalScenario();
const Scenario *subprocessScenario();
const Scenario *nonblockingScenario();
const Scenario *selectScenario();
const Scenario *largeTransferScenario();
const Scenario *noCloseEofScenario();
const Scenario *epipeScenario();
const Scenario *capacityScenario();
const Scenario *deadlockScenario();
const Scenario *fdLeakExecScenario();
const Scenario *atomicWritesScenario();
const Scenario *zombieScenario();
const Scenario *fifoScenario();
const Scenario *socketPairScenario();

std::vector<const Scenario *> allScenarios()
{
    return {simpleScenario(), parentChildScenario(), bidirectionalScenario(), subprocessScenario(),
        nonblockingScenario(), selectScenario(), largeTransferScenario(), noCloseEofScenario(), epipeScenario(),
        capacityScenario(), deadlockScenario(), fdLeakExecScenario(), atomicWritesScenario(), zombieScenario(),
        fifoScenario(), socketPairScenario()};
}

} // namespace pipescope
