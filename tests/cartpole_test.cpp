#include "games/cartpole.h"

#include <gtest/gtest.h>

namespace muzero {
namespace {

// Expected states worked out from Gym's CartPole-v1 equations (Euler, tau 0.02) for the start
// state (0.01, -0.02, 0.03, 0.04) and the actions right, left, left, right.
TEST(CartPole, FollowsTheCartPoleV1EquationsForAFixedActionSequence) {
  CartPole game;
  game.reset(0);
  game.set_state({0.01, -0.02, 0.03, 0.04});
  const CartPole::State expected[] = {
      {0.009600000000, 0.174679195748, 0.030800000000, -0.243068717960},
      {0.013093583915, -0.020868848948, 0.025938625641, 0.059167999939},
      {0.012676206936, -0.216352921046, 0.027121985640, 0.359920571378},
      {0.008349148515, -0.021626799199, 0.034320397067, 0.075911698947},
  };
  const Action actions[] = {1, 0, 0, 1};
  for (int i = 0; i < 4; ++i) {
    const StepResult result = game.step(actions[i]);
    EXPECT_FLOAT_EQ(result.reward, 1.0f);
    EXPECT_FALSE(result.done);
    for (int k = 0; k < 4; ++k) {
      EXPECT_NEAR(game.state()[k], expected[i][k], 1e-9) << "step " << i << " component " << k;
      EXPECT_FLOAT_EQ(result.observation[k], static_cast<float>(expected[i][k]));
    }
  }
}

// Pushing right from rest tips the pole past -12 degrees on the 9th step (worked out from the
// equations: theta = -0.2152 rad after 9 steps, -0.1576 after 8).
TEST(CartPole, TerminatesWhenThePoleFallsAndRewardsTheLastStep) {
  CartPole game;
  game.reset(0);
  game.set_state({0, 0, 0, 0});
  for (int i = 1; i <= 8; ++i) {
    const StepResult r = game.step(1);
    ASSERT_FALSE(r.done) << "step " << i;
  }
  const StepResult last = game.step(1);
  EXPECT_TRUE(last.done);
  EXPECT_FALSE(last.truncated) << "a fall ends the game";
  EXPECT_FLOAT_EQ(last.reward, 1.0f);
  EXPECT_NEAR(game.state()[2], -0.215186049885, 1e-9);
  EXPECT_TRUE(game.is_terminal());
  EXPECT_THROW(game.step(0), std::logic_error);
}

TEST(CartPole, TerminatesWhenTheCartLeavesTheTrack) {
  CartPole game;
  game.reset(0);
  game.set_state({2.39, 1.0, 0.0, 0.0});
  EXPECT_TRUE(game.step(1).done);  // x = 2.39 + 0.02 * 1.0 = 2.41 > 2.4
}

TEST(CartPole, IsCutOffAfter500Steps) {
  CartPole game;
  game.reset(0);
  for (int i = 1; i <= 500; ++i) {
    game.set_state({0, 0, 0, 0});  // keep it balanced; only the step limit can end it
    const StepResult r = game.step(i % 2);
    ASSERT_EQ(r.done, i == 500) << "step " << i;
    ASSERT_EQ(r.truncated, i == 500) << "the time limit truncates; it does not end the game";
  }
}

TEST(CartPole, ResetDrawsEachStateVariableUniformlyInPlusMinus005) {
  CartPole game;
  double min = 1, max = -1;
  for (std::uint64_t seed = 0; seed < 2000; ++seed) {
    game.reset(seed);
    for (double v : game.state()) {
      min = std::min(min, v);
      max = std::max(max, v);
    }
  }
  EXPECT_GE(min, -0.05);
  EXPECT_LE(max, 0.05);
  EXPECT_LT(min, -0.049);  // 8000 draws reach both ends
  EXPECT_GT(max, 0.049);

  CartPole a, b;
  EXPECT_EQ(a.reset(7), b.reset(7));
  EXPECT_NE(a.reset(7), b.reset(8));
}

TEST(CartPole, DescribesItselfAndParsesActions) {
  CartPole game;
  EXPECT_EQ(game.observation_shape(), (ObservationShape{1, 1, 4}));
  EXPECT_EQ(game.action_space_size(), 2);
  EXPECT_EQ(game.num_players(), 1);
  EXPECT_EQ(game.action_from_string("left"), 0);
  EXPECT_EQ(game.action_from_string("1"), 1);
  EXPECT_FALSE(game.action_from_string("up"));
  EXPECT_EQ(game.action_to_string(1), "right");
  game.reset(0);
  EXPECT_THROW(game.step(2), std::invalid_argument);
}

}  // namespace
}  // namespace muzero
