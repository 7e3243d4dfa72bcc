// pipescope-runner: the single-threaded process that owns one scenario run.
// Started by RunSession (never by hand); see core/runner.h.
#include "runner.h"

int main(int argc, char **argv)
{
    return pipescope::Runner::main(argc, argv);
}
