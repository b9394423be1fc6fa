#include "muzero/runtime/restart_policy.h"

#include <gtest/gtest.h>

namespace muzero {
namespace {

using namespace std::chrono_literals;

TEST(QuickFailures, GivesUpAfterThreeQuickFailuresInARow) {
  const auto now = QuickFailures::Clock::now();
  QuickFailures failures;
  failures.record(now - 1s, now);
  failures.record(now - 59s, now);
  EXPECT_EQ(failures.count(), 2);
  EXPECT_FALSE(failures.give_up());
  failures.record(now - 5s, now);
  EXPECT_TRUE(failures.give_up());
}

TEST(QuickFailures, AFailureAfterALongRunStartsTheCountOver) {
  const auto now = QuickFailures::Clock::now();
  QuickFailures failures;
  failures.record(now - 1s, now);
  failures.record(now - 1s, now);
  failures.record(now - 61s, now);  // ran past a minute: not the same fault
  EXPECT_EQ(failures.count(), 0);
  failures.record(now - 1s, now);
  failures.record(now - 1s, now);
  EXPECT_FALSE(failures.give_up());
}

}  // namespace
}  // namespace muzero
