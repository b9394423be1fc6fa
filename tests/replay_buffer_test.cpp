#include "replay_buffer/replay_buffer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "tests/history_builder.h"

namespace muzero {
namespace {

using testing::make_history;

ReplayParams params_with(bool prioritized, int window = 10) {
  ReplayParams p;
  p.window_size = window;
  p.prioritized = prioritized;
  p.priority_alpha = 0.5;
  p.targets.num_unroll_steps = 0;
  p.targets.td_steps = 10;
  p.targets.discount = 1.0;
  return p;
}

TEST(ReplayBuffer, InitialPrioritiesAreValueErrorsToTheAlpha) {
  ReplayBuffer buffer(params_with(true));
  // Targets (td 10, discount 1): position 0 -> 1 + 1 = 2, position 1 -> 1.
  const GameId id = buffer.add(make_history({0, 1, 1}, {0, 0, 0}, {6, 10}));
  const GameHistory* game = buffer.find(id);
  ASSERT_NE(game, nullptr);
  EXPECT_FLOAT_EQ(game->priorities[0], 2.0f);  // sqrt(|6 - 2|)
  EXPECT_FLOAT_EQ(game->priorities[1], 3.0f);  // sqrt(|10 - 1|)
  EXPECT_FLOAT_EQ(game->game_priority, 3.0f);
}

TEST(ReplayBuffer, EvictsTheOldestGamesBeyondTheWindow) {
  ReplayBuffer buffer(params_with(true, 2));
  buffer.add(make_history({0, 1}, {0, 0}, {1}));
  buffer.add(make_history({0, 1, 1}, {0, 0, 0}, {1, 1}));
  const GameId third = buffer.add(make_history({0, 1, 1, 1}, {0, 0, 0, 0}, {1, 1, 1}));
  EXPECT_EQ(buffer.num_games(), 2);
  EXPECT_EQ(buffer.num_positions(), 5);
  EXPECT_EQ(buffer.total_games_added(), 3);
  EXPECT_EQ(buffer.find(0), nullptr);
  ASSERT_NE(buffer.find(third), nullptr);
  EXPECT_EQ(buffer.find(third)->num_moves(), 3);
  // An update for an evicted game is ignored rather than applied to another game.
  const std::vector<float> before = buffer.find(1)->priorities;
  const std::vector<SampledPosition> stale{{0, 0}};
  const std::vector<float> error{100.0f};
  buffer.update_priorities(stale, error, 0);
  EXPECT_EQ(buffer.find(1)->priorities, before);
  EXPECT_LT(buffer.find(third)->game_priority, 10.0f);
}

// Game A has position priorities {2, 4}, game B {1, 3, 1} (set through update_priorities with
// alpha 0.5). P(game) = max priority / 7, P(position | game) = priority / game sum; 20000
// samples land within 5 standard deviations of that, and weights are 1 / (N P) over their max.
TEST(ReplayBuffer, PrioritizedSamplingFrequenciesAndWeights) {
  ReplayBuffer buffer(params_with(true));
  const GameId a = buffer.add(make_history({0, 0, 0}, {0, 0, 0}, {0, 0}));
  const GameId b = buffer.add(make_history({0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0}));
  const std::vector<SampledPosition> positions{{a, 0}, {a, 1}, {b, 0}, {b, 1}, {b, 2}};
  const std::vector<float> errors{4, 16, 1, 9, 1};
  buffer.update_priorities(positions, errors, 0);
  EXPECT_FLOAT_EQ(buffer.find(a)->game_priority, 4.0f);
  EXPECT_FLOAT_EQ(buffer.find(b)->game_priority, 3.0f);

  const std::map<std::pair<GameId, int>, double> expected{{{a, 0}, 4.0 / 7 * 2 / 6},
                                                          {{a, 1}, 4.0 / 7 * 4 / 6},
                                                          {{b, 0}, 3.0 / 7 * 1 / 5},
                                                          {{b, 1}, 3.0 / 7 * 3 / 5},
                                                          {{b, 2}, 3.0 / 7 * 1 / 5}};
  std::mt19937_64 rng(5);
  const int n = 20000;
  const Batch batch = buffer.sample(n, rng);
  std::map<std::pair<GameId, int>, int> counts;
  for (int i = 0; i < n; ++i) {
    const auto key = std::make_pair(batch.positions[i].game_id, batch.positions[i].position);
    ++counts[key];
    const double weight = (3.0 / 7 * 1 / 5) / expected.at(key);  // normalised by the max weight
    EXPECT_NEAR(batch.weights[i], weight, 1e-5);
    EXPECT_FLOAT_EQ(batch.observations[i], static_cast<float>(key.second));
  }
  for (const auto& [key, p] : expected) {
    const double sigma = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(counts[key], n * p, 5 * sigma) << "game " << key.first << " pos " << key.second;
  }
}

TEST(ReplayBuffer, UniformSamplingWithoutPriorities) {
  ReplayBuffer buffer(params_with(false));
  const GameId a = buffer.add(make_history({0, 0}, {0, 0}, {5}));
  const GameId b = buffer.add(make_history({0, 0, 0, 0}, {0, 0, 0, 0}, {0, 7, 0}));
  std::mt19937_64 rng(9);
  const int n = 12000;
  const Batch batch = buffer.sample(n, rng);
  int in_a = 0;
  for (int i = 0; i < n; ++i) {
    EXPECT_FLOAT_EQ(batch.weights[i], 1.0f);
    if (batch.positions[i].game_id == a) ++in_a;
  }
  EXPECT_NEAR(in_a, n / 2, 5 * std::sqrt(n * 0.25));
  (void)b;
}

TEST(ReplayBuffer, PriorityUpdatesCoverTheUnrolledStepsInsideTheGame) {
  ReplayParams p = params_with(true);
  ReplayBuffer buffer(p);
  const GameId id = buffer.add(make_history({0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0}));
  const std::vector<SampledPosition> positions{{id, 1}};
  const std::vector<float> errors{4, 9, 100};  // K = 2: positions 1, 2 and (outside) 3
  const float before = buffer.find(id)->priorities[0];
  buffer.update_priorities(positions, errors, 2);
  const GameHistory* game = buffer.find(id);
  EXPECT_FLOAT_EQ(game->priorities[0], before);
  EXPECT_FLOAT_EQ(game->priorities[1], 2.0f);
  EXPECT_FLOAT_EQ(game->priorities[2], 3.0f);
  EXPECT_FLOAT_EQ(game->game_priority, 3.0f);
}

// use_last_model_value: each bootstrap names a target row and carries the observation of its
// position (make_history's observation of position i is {i}). With the stored search values
// standing in for the network, completing the targets gives the ordinary batch's targets.
TEST(ReplayBuffer, BatchCarriesBootstrapsForTheTrainer) {
  ReplayParams p = params_with(true);
  p.targets.num_unroll_steps = 2;
  p.targets.td_steps = 2;
  p.targets.discount = 0.9;
  const GameHistory game = make_history({0, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 0}, {3, 5, 2, 1, 4});
  ReplayBuffer plain(p);
  plain.add(game);
  p.targets.use_last_model_value = true;
  ReplayBuffer split(p);
  split.add(game);
  std::mt19937_64 rng_plain(4), rng_split(4);
  const Batch expected = plain.sample(32, rng_plain);
  Batch batch = split.sample(32, rng_split);
  ASSERT_EQ(batch.positions.size(), expected.positions.size());
  ASSERT_FALSE(batch.bootstrap_rows.empty());
  ASSERT_EQ(batch.bootstrap_scales.size(), batch.bootstrap_rows.size());
  ASSERT_EQ(batch.bootstrap_observations.size(), batch.bootstrap_rows.size());
  for (std::size_t i = 0; i < batch.bootstrap_rows.size(); ++i) {
    const int row = batch.bootstrap_rows[i];
    const int index = static_cast<int>(batch.bootstrap_observations[i]);
    EXPECT_EQ(index, batch.positions[row / 3].position + row % 3 + 2);  // td 2 ahead
    batch.target_values[row] += batch.bootstrap_scales[i] * game.root_values[index];
  }
  for (std::size_t i = 0; i < batch.target_values.size(); ++i) {
    EXPECT_NEAR(batch.target_values[i], expected.target_values[i], 1e-5) << "row " << i;
  }
}

// Consistency targets: step k of sample b carries the observation of position + k ({position + k}
// here) while that position exists (up to num_moves, the final position included), then zeros
// with mask 0.
TEST(ReplayBuffer, BatchCarriesNextObservationsForTheConsistencyLoss) {
  ReplayParams p = params_with(false);
  p.targets.num_unroll_steps = 3;
  p.next_observations = true;
  ReplayBuffer buffer(p);
  buffer.add(make_history({0, 1, 1, 1, 1}, {0, 0, 0, 0, 0}, {4, 3, 2, 1}));  // 4 moves
  std::mt19937_64 rng(2);
  const Batch batch = buffer.sample(40, rng);
  ASSERT_EQ(batch.next_observations.size(), 40u * 3);
  ASSERT_EQ(batch.next_observation_mask.size(), 40u * 3);
  std::map<int, int> seen_positions;
  for (int b = 0; b < 40; ++b) {
    const int position = batch.positions[b].position;
    ++seen_positions[position];
    for (int k = 1; k <= 3; ++k) {
      const int step = b * 3 + k - 1;
      const bool inside = position + k <= 4;
      EXPECT_EQ(batch.next_observation_mask[step], inside ? 1.0f : 0.0f) << b << " " << k;
      EXPECT_EQ(batch.next_observations[step], inside ? static_cast<float>(position + k) : 0.0f);
    }
  }
  EXPECT_EQ(seen_positions.size(), 4u);  // positions 0..3 all drawn: every case above ran

  p.next_observations = false;
  ReplayBuffer without(p);
  without.add(make_history({0, 1, 1}, {0, 0, 0}, {2, 1}));
  const Batch plain = without.sample(4, rng);
  EXPECT_TRUE(plain.next_observations.empty());
  EXPECT_TRUE(plain.next_observation_mask.empty());
}

TEST(ReplayBuffer, BatchHoldsTargetsForEverySample) {
  ReplayParams p = params_with(true);
  p.targets.num_unroll_steps = 2;
  ReplayBuffer buffer(p);
  buffer.add(make_history({0, 1, 1, 1}, {0, 0, 0, 0}, {3, 2, 1}));
  std::mt19937_64 rng(1);
  const Batch batch = buffer.sample(16, rng);
  EXPECT_EQ(batch.batch_size, 16);
  EXPECT_EQ(batch.actions.size(), 16u * 3);
  EXPECT_EQ(batch.target_policies.size(), 16u * 3 * 2);
  for (int i = 0; i < 16; ++i) {
    const int position = batch.positions[i].position;
    // Target value at step 0 is the number of remaining rewards (discount 1, td 10).
    EXPECT_FLOAT_EQ(batch.target_values[i * 3], static_cast<float>(3 - position));
    EXPECT_FLOAT_EQ(batch.gradient_scales[i], std::min(2.0f, 4.0f - position));
  }
}

// Each sample says where a truncated game's cut-off cuts its unroll (first_unknown_step); a
// finished game's samples know every step.
TEST(ReplayBuffer, BatchMarksTheCutOffOfTruncatedGames) {
  ReplayParams p = params_with(false);
  p.targets.num_unroll_steps = 2;
  for (const bool truncated : {false, true}) {
    ReplayBuffer buffer(p);
    GameHistory game = make_history({0, 1, 1, 1}, {0, 0, 0, 0}, {3, 2, 1});
    game.truncated = truncated;
    buffer.add(game);
    std::mt19937_64 rng(2);
    const Batch batch = buffer.sample(32, rng);
    ASSERT_EQ(batch.first_unknown_steps.size(), 32u);
    std::set<int> positions;
    for (int i = 0; i < 32; ++i) {
      const int position = batch.positions[i].position;
      positions.insert(position);
      // 3 moves: from position 1 the cut-off (position 3) is step 2, from 2 it is step 1.
      const int expected = truncated && position >= 1 ? 3 - position : 3;
      EXPECT_EQ(batch.first_unknown_steps[i], expected) << "position " << position;
    }
    EXPECT_EQ(positions.size(), 3u);
  }
}

// With augment_symmetries each sample is either as played or wholly relabelled: observation,
// next observations, unrolled actions and policy targets together, values and rewards unchanged;
// with one symmetry, about half the samples each way. Observations {10 + i, 20 + i} at position
// i; the symmetry swaps the two elements and reverses the three actions.
TEST(ReplayBuffer, SymmetryAugmentationRelabelsWholeSamples) {
  GameHistory game(2, 3, std::vector<float>{10, 20}, 0);
  const std::vector<std::vector<float>> policies{{0.5f, 0.3f, 0.2f}, {0.1f, 0.2f, 0.7f}};
  game.add_move(policies[0], 0.0f, 0, 0.0f, std::vector<float>{11, 21}, 1);
  game.add_move(policies[1], 0.0f, 2, 1.0f, std::vector<float>{12, 22}, 0);
  ReplayParams p = params_with(false);
  p.targets.num_unroll_steps = 2;
  p.next_observations = true;
  p.augment_symmetries = true;
  p.symmetries = {Symmetry{{1, 0}, {2, 1, 0}}};
  ReplayBuffer buffer(p);
  buffer.add(game);
  std::mt19937_64 rng(5);
  const int n = 2000;
  const Batch batch = buffer.sample(n, rng);
  int relabelled = 0;
  for (int b = 0; b < n; ++b) {
    const int i = batch.positions[b].position;
    const float first = batch.observations[b * 2];
    ASSERT_TRUE(first == 10.0f + i || first == 20.0f + i) << b;
    const bool swapped = first == 20.0f + i;
    relabelled += swapped;
    const auto element = [&](int position, int e) {  // element e of the stored observation
      return static_cast<float>((swapped ? 20 - 10 * e : 10 + 10 * e) + position);
    };
    EXPECT_EQ(batch.observations[b * 2 + 1], element(i, 1)) << b;
    for (int k = 0; k <= 2; ++k) {
      const int index = i + k;
      const std::size_t row = static_cast<std::size_t>(b) * 3 + k;
      if (k >= 1 && index <= 2) {
        EXPECT_EQ(batch.actions[row], swapped ? 2 - game.actions[index] : game.actions[index]);
        EXPECT_EQ(batch.target_rewards[row], game.rewards[index]);
        const std::size_t step = static_cast<std::size_t>(b) * 2 + k - 1;
        EXPECT_EQ(batch.next_observations[step * 2], element(index, 0)) << b << " " << k;
        EXPECT_EQ(batch.next_observations[step * 2 + 1], element(index, 1)) << b << " " << k;
      }
      for (int a = 0; a < 3; ++a) {
        const float expected = index < 2 ? policies[index][swapped ? 2 - a : a] : 1.0f / 3.0f;
        EXPECT_FLOAT_EQ(batch.target_policies[row * 3 + a], expected) << b << " " << k;
      }
    }
    EXPECT_FLOAT_EQ(batch.target_values[b * 3], value_target(game, i, 10, 1.0)) << b;
  }
  EXPECT_GT(relabelled, n * 45 / 100);
  EXPECT_LT(relabelled, n * 55 / 100);

  ReplayParams none = params_with(false);
  none.augment_symmetries = true;
  EXPECT_THROW(ReplayBuffer{none}, std::invalid_argument);
}

}  // namespace
}  // namespace muzero
