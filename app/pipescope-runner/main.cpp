// pipescope-runner: the single-threaded process that owns one scenario run.
// Started by RunSession (never by hand); see core/run/runner.h.
#include "core/run/runner.h"
#include "core/scenarios/scenariocatalog.h"

int main(int argc, char **argv)
{
    return pipescope::Runner::main(argc, argv, &pipescope::ScenarioCatalog::resolve);
}
