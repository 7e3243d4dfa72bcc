// libFuzzer target over the same checks as tst_fuzzinputs, for long runs by hand
// (clang only; gcc builds have tst_fuzzinputs):
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DPIPESCOPE_SANITIZE=ON
//   cmake --build build-fuzz --target pipescope-fuzz-inputs
//   mkdir -p /tmp/fuzz-corpus && build-fuzz/tests/fuzz/pipescope-fuzz-inputs -max_total_time=600 /tmp/fuzz-corpus
// A finding aborts with the check's message; libFuzzer saves the input as crash-*.
#include "inputfuzzer.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (const auto problem = pipescope::fuzz::InputFuzzer::checkBytes(data, size)) {
        std::fprintf(stderr, "pipescope-fuzz-inputs: %s\n", problem->c_str());
        std::abort();
    }
    return 0;
}
