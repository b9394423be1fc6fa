#include "muzero/runtime/save_pacing.h"

#include <gtest/gtest.h>

namespace muzero {
namespace {

using namespace std::chrono_literals;

TEST(SavePacing, SavesEveryFiveSecondsWhileSavingIsCheap) {
  const auto start = SavePacing::Clock::now();
  SavePacing pacing(start);
  EXPECT_FALSE(pacing.due(start + 4900ms));
  EXPECT_TRUE(pacing.due(start + 5s)) << "before any save was timed";
  pacing.saved(start + 5s, start + 5s + 10ms);  // 10 ms / 0.02 = 0.5 s: below the shortest gap
  EXPECT_EQ(pacing.gap(), SavePacing::Clock::duration(5s));
  EXPECT_FALSE(pacing.due(start + 10s));
  EXPECT_TRUE(pacing.due(start + 10s + 10ms));
}

TEST(SavePacing, ASlowSaveSpacesTheNextOutToFiftyTimesItsCost) {
  const auto start = SavePacing::Clock::now();
  SavePacing pacing(start);
  pacing.saved(start, start + 300ms);  // 300 ms / 0.02 = 15 s
  EXPECT_EQ(pacing.gap(), SavePacing::Clock::duration(15s));
  EXPECT_FALSE(pacing.due(start + 15s));
  EXPECT_TRUE(pacing.due(start + 15300ms));
}

TEST(SavePacing, SavesAtLeastEveryMinuteHoweverSlowASaveWas) {
  const auto start = SavePacing::Clock::now();
  SavePacing pacing(start);
  pacing.saved(start, start + 4s);  // 200 s by the share
  EXPECT_EQ(pacing.gap(), SavePacing::Clock::duration(60s));
  EXPECT_TRUE(pacing.due(start + 64s));
  pacing.saved(start + 64s, start + 64s + 1ms);  // fast again: the gap shrinks back
  EXPECT_EQ(pacing.gap(), SavePacing::Clock::duration(5s));
}

TEST(SavePacing, AFailedSaveWaitsAMinuteBeforeTheNextTry) {
  const auto start = SavePacing::Clock::now();
  SavePacing pacing(start);
  pacing.failed(start + 5s);  // a full disk
  EXPECT_FALSE(pacing.due(start + 64s));
  EXPECT_TRUE(pacing.due(start + 65s));
  pacing.saved(start + 65s, start + 65s + 1ms);  // room again: back to every 5 s
  EXPECT_TRUE(pacing.due(start + 70s + 1ms));
}

}  // namespace
}  // namespace muzero
