#include "shared_storage/shared_storage.h"

#include <gtest/gtest.h>

namespace muzero {
namespace {

TEST(SharedStorage, NumbersWeightsFromOneAndKeepsTheLatest) {
  SharedStorage storage;
  EXPECT_EQ(storage.latest_weights().version, -1);
  EXPECT_EQ(storage.latest_weights().blob, nullptr);
  EXPECT_EQ(storage.publish_weights("a"), 1);
  EXPECT_EQ(storage.publish_weights("b"), 2);
  EXPECT_EQ(storage.latest_weights().version, 2);
  EXPECT_EQ(*storage.latest_weights().blob, "b");
}

TEST(SharedStorage, ARestartedStorageNumbersAfterTheVersionItHadCounted) {
  SharedStorage storage;
  storage.continue_versions_after(41);
  EXPECT_EQ(storage.latest_weights().version, -1);  // nothing to hand out yet
  EXPECT_EQ(storage.publish_weights("a"), 42);
  storage.continue_versions_after(7);  // never goes back
  EXPECT_EQ(storage.publish_weights("b"), 43);
}

TEST(SharedStorage, CountersAreSetAndAddedTo) {
  SharedStorage storage;
  storage.set_counter("x", 2.5);
  storage.add_to_counter("x", 1.0);
  storage.add_to_counter("y", 3.0);
  EXPECT_DOUBLE_EQ(storage.counters().at("x"), 3.5);
  EXPECT_DOUBLE_EQ(storage.counters().at("y"), 3.0);
}

}  // namespace
}  // namespace muzero
