// gtest main for the LibTorch tests: one intra-op thread, as in every muzero process.
#include <gtest/gtest.h>

#include "models/math_threads.h"

int main(int argc, char** argv) {
  muzero::use_single_math_thread();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
