#include "self_play/action_selection.h"

#include <gtest/gtest.h>

#include <cmath>

namespace muzero {
namespace {

TEST(ActionSelection, TemperatureZeroPicksTheMostVisitedLowestOnTies) {
  std::mt19937_64 rng(0);
  EXPECT_EQ(select_action(std::vector<int>{3, 9, 1}, 0.0, rng), 1);
  EXPECT_EQ(select_action(std::vector<int>{5, 2, 5}, 0.0, rng), 0);
}

// Equal visits go to the higher value; values never outweigh visits; equal both: lower index.
TEST(ActionSelection, TemperatureZeroBreaksVisitTiesByValue) {
  std::mt19937_64 rng(0);
  EXPECT_EQ(
      select_action(std::vector<int>{5, 2, 5}, 0.0, rng, std::vector<float>{0.1f, 0.9f, 0.3f}), 2);
  EXPECT_EQ(
      select_action(std::vector<int>{5, 6, 5}, 0.0, rng, std::vector<float>{0.1f, 0.0f, 0.3f}), 1);
  EXPECT_EQ(
      select_action(std::vector<int>{5, 2, 5}, 0.0, rng, std::vector<float>{0.3f, 0.9f, 0.3f}), 0);
  EXPECT_THROW(select_action(std::vector<int>{5, 2}, 0.0, rng, std::vector<float>{0.3f}),
               std::invalid_argument);
}

// Sampling frequencies follow visits^(1/T): within 5 standard deviations of the expected
// count over 40000 draws with a fixed seed.
TEST(ActionSelection, SamplesProportionallyToVisitsPowerInverseTemperature) {
  const std::vector<int> visits{1, 2, 0, 5};
  for (double temperature : {1.0, 0.5, 2.0}) {
    std::mt19937_64 rng(123);
    std::vector<int> counts(visits.size(), 0);
    const int draws = 40000;
    for (int i = 0; i < draws; ++i) ++counts[select_action(visits, temperature, rng)];
    double total = 0;
    for (int v : visits) total += std::pow(v, 1.0 / temperature);
    for (std::size_t a = 0; a < visits.size(); ++a) {
      const double p = std::pow(visits[a], 1.0 / temperature) / total;
      const double sigma = std::sqrt(draws * p * (1 - p));
      EXPECT_NEAR(counts[a], draws * p, 5 * sigma + 1e-9) << "T=" << temperature << " a=" << a;
    }
  }
}

TEST(ActionSelection, VisitDistributionSumsToOne) {
  const std::vector<float> d = visit_distribution(std::vector<int>{1, 0, 3});
  EXPECT_FLOAT_EQ(d[0], 0.25f);
  EXPECT_FLOAT_EQ(d[1], 0.0f);
  EXPECT_FLOAT_EQ(d[2], 0.75f);
}

// muzero-general's CartPole schedule: 1.0 for the first half of training, 0.5 to 75%, then 0.25.
TEST(ActionSelection, TemperatureScheduleFollowsTrainingProgress) {
  const std::vector<TemperatureStep> schedule{{0.5, 1.0}, {0.75, 0.5}, {INFINITY, 0.25}};
  EXPECT_DOUBLE_EQ(scheduled_temperature(schedule, 0, 10000), 1.0);
  EXPECT_DOUBLE_EQ(scheduled_temperature(schedule, 4999, 10000), 1.0);
  EXPECT_DOUBLE_EQ(scheduled_temperature(schedule, 5000, 10000), 0.5);
  EXPECT_DOUBLE_EQ(scheduled_temperature(schedule, 7500, 10000), 0.25);
  EXPECT_DOUBLE_EQ(scheduled_temperature(schedule, 20000, 10000), 0.25);
}

}  // namespace
}  // namespace muzero
