// One fuzz target as a libFuzzer binary; MUZERO_FUZZ_TARGET names it (scripts/fuzz.sh).
#include "tests/fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return muzero::fuzz::MUZERO_FUZZ_TARGET(data, size);
}
