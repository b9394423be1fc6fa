#include "replay_buffer/targets.h"

#include <gtest/gtest.h>

#include "tests/history_builder.h"

namespace muzero {
namespace {

using testing::make_history;

// One player, 4 moves: rewards r1..r4 = 1, 2, 3, 4; root values 10, 20, 30, 40; discount 0.5.
TEST(ValueTarget, OnePlayerByHand) {
  const GameHistory h = make_history({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {10, 20, 30, 40});
  // td 2 from 0: 1 + 0.5 * 2 + 0.25 * root[2] = 1 + 1 + 7.5
  EXPECT_FLOAT_EQ(value_target(h, 0, 2, 0.5), 9.5f);
  // td 2 from 1: 2 + 0.5 * 3 + 0.25 * 40
  EXPECT_FLOAT_EQ(value_target(h, 1, 2, 0.5), 13.5f);
  // td 2 from 2 reaches the end: no bootstrap, 3 + 0.5 * 4
  EXPECT_FLOAT_EQ(value_target(h, 2, 2, 0.5), 5.0f);
  EXPECT_FLOAT_EQ(value_target(h, 3, 2, 0.5), 4.0f);
  // At and past the end of the game: 0.
  EXPECT_FLOAT_EQ(value_target(h, 4, 2, 0.5), 0.0f);
  EXPECT_FLOAT_EQ(value_target(h, 7, 2, 0.5), 0.0f);
  // td 1, discount 1: one reward plus the next root value.
  EXPECT_FLOAT_EQ(value_target(h, 0, 1, 1.0), 1.0f + 20.0f);
}

// The same game cut off by a time limit: where the n steps run past the end, the last root
// value (40, at position 3) stands in for the unsearched final position, discounted to it.
TEST(ValueTarget, TruncatedGamesBootstrapFromTheLastSearch) {
  GameHistory h = make_history({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {10, 20, 30, 40});
  h.truncated = true;
  // Not reaching the end: unchanged, 1 + 0.5 * 2 + 0.25 * root[2].
  EXPECT_FLOAT_EQ(value_target(h, 0, 2, 0.5), 9.5f);
  // From 2: 3 + 0.5 * 4 + 0.25 * 40 (position 4 is 2 steps away).
  EXPECT_FLOAT_EQ(value_target(h, 2, 2, 0.5), 15.0f);
  // From 3, td 5: 4 + 0.5 * 40.
  EXPECT_FLOAT_EQ(value_target(h, 3, 5, 0.5), 24.0f);
  // At the cut-off position itself there is nothing to learn from: 0, as past the end.
  EXPECT_FLOAT_EQ(value_target(h, 4, 2, 0.5), 0.0f);
  // Two players: the last search belongs to player 1; seen from player 0 at position 2 it
  // counts negated: 0 + 0.5 * 0 + 0.25 * -40.
  GameHistory two = make_history({0, 0, 0, 0, 0}, {0, 1, 0, 1, 0}, {10, 20, 30, 40});
  two.truncated = true;
  EXPECT_FLOAT_EQ(value_target(two, 2, 3, 0.5), -10.0f);
}

// Two players alternating, player 1 wins with the 4th move (reward at index 4, earned by the
// player who moved at position 3). Root values are for the player to move there.
TEST(ValueTarget, TwoPlayersFlipSigns) {
  const GameHistory h = make_history({0, 0, 0, 0, 1}, {0, 1, 0, 1, 0}, {0.1f, 0.2f, 0.3f, 0.4f});
  // td 2 from 0 bootstraps from position 2, same player: +0.3.
  EXPECT_FLOAT_EQ(value_target(h, 0, 2, 1.0), 0.3f);
  // td 3 from 0 bootstraps from position 3, the opponent's: -0.4.
  EXPECT_FLOAT_EQ(value_target(h, 0, 3, 1.0), -0.4f);
  // From position 2 (player 0): the opponent's winning reward counts -1.
  EXPECT_FLOAT_EQ(value_target(h, 2, 2, 1.0), -1.0f);
  // From position 3 (player 1, who then wins): +1.
  EXPECT_FLOAT_EQ(value_target(h, 3, 5, 1.0), 1.0f);
  // From position 1 (player 1), td 2: bootstrap from position 3, same player: +0.4.
  EXPECT_FLOAT_EQ(value_target(h, 1, 2, 1.0), 0.4f);
  // Discounting applies per step: td 10 from 1 with discount 0.9: reward at index 4 is 2 steps
  // after the first reward, earned by player 1 = the player at position 1: +0.81.
  EXPECT_NEAR(value_target(h, 1, 10, 0.9), 0.81f, 1e-6);
}

// The split used by replay_buffer.use_last_model_value, on the games above: the rewards part
// plus scale * (value of position index) is the full target.
TEST(ValueTarget, SplitsIntoRewardsAndABootstrapToRefresh) {
  GameHistory h = make_history({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {10, 20, 30, 40});
  // From 0, td 2: rewards 1 + 0.5 * 2, bootstrap 0.25 * v(position 2).
  EXPECT_DOUBLE_EQ(value_target_rewards(h, 0, 2, 0.5), 2.0);
  EXPECT_EQ(value_bootstrap(h, 0, 2, 0.5).index, 2);
  EXPECT_DOUBLE_EQ(value_bootstrap(h, 0, 2, 0.5).scale, 0.25);
  // Past the end of a finished game: rewards only.
  EXPECT_DOUBLE_EQ(value_target_rewards(h, 2, 2, 0.5), 5.0);
  EXPECT_EQ(value_bootstrap(h, 2, 2, 0.5).index, -1);
  EXPECT_DOUBLE_EQ(value_bootstrap(h, 2, 2, 0.5).scale, 0.0);
  EXPECT_EQ(value_bootstrap(h, 4, 2, 0.5).index, -1);
  EXPECT_DOUBLE_EQ(value_target_rewards(h, 4, 2, 0.5), 0.0);
  // Truncated: the cut-off position 4 itself, discounted to it (2 and 1 steps away).
  h.truncated = true;
  EXPECT_EQ(value_bootstrap(h, 2, 2, 0.5).index, 4);
  EXPECT_DOUBLE_EQ(value_bootstrap(h, 2, 2, 0.5).scale, 0.25);
  EXPECT_EQ(value_bootstrap(h, 3, 5, 0.5).index, 4);
  EXPECT_DOUBLE_EQ(value_bootstrap(h, 3, 5, 0.5).scale, 0.5);
  EXPECT_EQ(value_bootstrap(h, 4, 2, 0.5).index, -1);
  // Two players: the bootstrap of the opponent's position counts negated.
  const GameHistory two = make_history({0, 0, 0, 0, 1}, {0, 1, 0, 1, 0}, {0.1f, 0.2f, 0.3f, 0.4f});
  EXPECT_EQ(value_bootstrap(two, 0, 3, 1.0).index, 3);
  EXPECT_DOUBLE_EQ(value_bootstrap(two, 0, 3, 1.0).scale, -1.0);
  EXPECT_DOUBLE_EQ(value_bootstrap(two, 1, 2, 1.0).scale, 1.0);
  EXPECT_DOUBLE_EQ(value_target_rewards(two, 2, 2, 1.0), -1.0);
  // With the stored search values as v, the split adds up to value_target everywhere.
  for (const GameHistory* game : std::vector<const GameHistory*>{&h, &two}) {
    for (int position = 0; position < game->num_moves(); ++position) {
      for (int td : {1, 2, 3, 10}) {
        const ValueBootstrap b = value_bootstrap(*game, position, td, 0.9);
        if (b.index == game->num_moves()) continue;  // truncated: value_target's stand-in
        const double v = b.index < 0 ? 0.0 : game->root_values[b.index];
        EXPECT_NEAR(value_target_rewards(*game, position, td, 0.9) + b.scale * v,
                    value_target(*game, position, td, 0.9), 1e-5)
            << "position " << position << " td " << td;
      }
    }
  }
}

// Unroll 3, td 2, discount 0.5: the game of ValueTarget.OnePlayerByHand, unrolled.
TargetParams short_unroll() {
  TargetParams params;
  params.num_unroll_steps = 3;
  params.td_steps = 2;
  params.discount = 0.5;
  return params;
}

TEST(MakeTargets, UnrollsPastTheEndIntoAnAbsorbingState) {
  const GameHistory h = make_history({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {10, 20, 30, 40});
  const TargetParams params = short_unroll();
  std::mt19937_64 rng(0);
  std::vector<std::int64_t> actions(4);
  std::vector<float> values(4), rewards(4), policies(8);
  const float scale = make_targets(h, 2, params, rng, actions, values, rewards, policies);
  EXPECT_FLOAT_EQ(scale, 3.0f);  // min(K = 3, moves + 1 - position = 3)
  // Positions 2 and 3 are in the game, 4 is the terminal state, 5 is past it.
  EXPECT_EQ(std::vector<float>(values.begin(), values.end()), (std::vector<float>{5, 4, 0, 0}));
  // rewards[k] is the reward for reaching position 2 + k: r2, r3, r4, then nothing.
  EXPECT_EQ(std::vector<float>(rewards.begin(), rewards.end()), (std::vector<float>{2, 3, 4, 0}));
  // actions[k] led to position 2 + k: moves 1, 2, 3 were actions 1 % 2, 2 % 2, 3 % 2.
  EXPECT_EQ(actions[0], 1);
  EXPECT_EQ(actions[1], 0);
  EXPECT_EQ(actions[2], 1);
  EXPECT_GE(actions[3], 0);
  EXPECT_LT(actions[3], 2);
  // Search policies for positions 2, 3; uniform after the end.
  EXPECT_EQ(policies, (std::vector<float>{1, 0, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f}));

  // From the start the whole unroll lies in the game.
  const float early = make_targets(h, 0, params, rng, actions, values, rewards, policies);
  EXPECT_FLOAT_EQ(early, 3.0f);
  EXPECT_FLOAT_EQ(rewards[1], 1.0f);
  EXPECT_FLOAT_EQ(values[0], 9.5f);
}

// Past the cut-off of a truncated game nothing is known: the first unknown step is the cut-off's.
// A game that really ended has none (its absorbing state is real).
TEST(MakeTargets, TheCutOffOfATruncatedGameIsTheFirstUnknownStep) {
  GameHistory h = make_history({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {10, 20, 30, 40});
  EXPECT_EQ(first_unknown_step(h, 2, 3), 4);  // finished: every step known
  h.truncated = true;
  EXPECT_EQ(first_unknown_step(h, 2, 3), 2);  // position 4 is step 2
  EXPECT_EQ(first_unknown_step(h, 3, 3), 1);
  EXPECT_EQ(first_unknown_step(h, 1, 3), 3);
  EXPECT_EQ(first_unknown_step(h, 0, 3), 4);  // the cut-off lies beyond K = 3 steps
  EXPECT_EQ(first_unknown_step(h, 1, 2), 3);
}

// use_last_model_value: values hold the rewards part, bootstraps say what to add.
TEST(MakeTargets, LeavesBootstrapsToTheTrainerWhenAsked) {
  GameHistory h = make_history({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {10, 20, 30, 40});
  h.truncated = true;
  TargetParams params;
  params.num_unroll_steps = 3;
  params.td_steps = 2;
  params.discount = 0.5;
  params.use_last_model_value = true;
  std::mt19937_64 rng(0);
  std::vector<std::int64_t> actions(4);
  std::vector<float> values(4), rewards(4), policies(8);
  std::vector<ValueBootstrap> bootstraps(4);
  make_targets(h, 2, params, rng, actions, values, rewards, policies, bootstraps);
  EXPECT_EQ(values, (std::vector<float>{5, 4, 0, 0}));
  EXPECT_EQ(bootstraps[0].index, 4);
  EXPECT_DOUBLE_EQ(bootstraps[0].scale, 0.25);
  EXPECT_EQ(bootstraps[1].index, 4);
  EXPECT_DOUBLE_EQ(bootstraps[1].scale, 0.5);
  EXPECT_EQ(bootstraps[2].index, -1);
  EXPECT_EQ(bootstraps[3].index, -1);
  EXPECT_THROW(make_targets(h, 2, params, rng, actions, values, rewards, policies),
               std::invalid_argument);
}

// replay_buffer.root_value_mix: (1 - mix) x the n-step target + mix x the root value there,
// nothing past the end; with use_last_model_value the bootstrap's scale shrinks by (1 - mix).
TEST(MakeTargets, MixesTheRootValueIntoValueTargets) {
  const GameHistory h = make_history({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {10, 20, 30, 40});
  TargetParams params = short_unroll();
  params.root_value_mix = 0.25;
  std::mt19937_64 rng(0);
  std::vector<std::int64_t> actions(4);
  std::vector<float> values(4), rewards(4), policies(8);
  // From 1: n-step targets 13.5, 5, 4 (ValueTarget.OnePlayerByHand), roots 20, 30, 40.
  make_targets(h, 1, params, rng, actions, values, rewards, policies);
  EXPECT_FLOAT_EQ(values[0], 0.75f * 13.5f + 0.25f * 20.0f);
  EXPECT_FLOAT_EQ(values[1], 0.75f * 5.0f + 0.25f * 30.0f);
  EXPECT_FLOAT_EQ(values[2], 0.75f * 4.0f + 0.25f * 40.0f);
  EXPECT_FLOAT_EQ(values[3], 0.0f);
  // Split: from 0, rewards 2 and bootstrap 0.25 x v(2) become 0.75 x 2 + 0.25 x 10 and
  // 0.75 x 0.25 x v(2).
  params.use_last_model_value = true;
  std::vector<ValueBootstrap> bootstraps(4);
  make_targets(h, 0, params, rng, actions, values, rewards, policies, bootstraps);
  EXPECT_FLOAT_EQ(values[0], 0.75f * 2.0f + 0.25f * 10.0f);
  EXPECT_EQ(bootstraps[0].index, 2);
  EXPECT_DOUBLE_EQ(bootstraps[0].scale, 0.75 * 0.25);
  // Mix 1: the root values alone, and nothing left to refresh.
  params.root_value_mix = 1.0;
  make_targets(h, 0, params, rng, actions, values, rewards, policies, bootstraps);
  EXPECT_EQ(std::vector<float>(values.begin(), values.end()), (std::vector<float>{10, 20, 30, 40}));
  EXPECT_DOUBLE_EQ(bootstraps[0].scale, 0.0);
}

}  // namespace
}  // namespace muzero
