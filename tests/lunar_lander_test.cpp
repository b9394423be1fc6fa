// LunarLander's transitions against values computed by hand from the rules (see
// games/lunar_lander.h). Without the first push and the engines' dispersion, an engine's
// impulse is known exactly, and the joints and contacts, being internal or absent in the air,
// leave the total momentum of the lander and its legs to gravity and the engines alone.
#include "games/lunar_lander.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

namespace muzero {
namespace {

constexpr double kScale = 30.0;
// The hull's area by hand: a 34 x 10 px rectangle under a trapezoid 34 px wide at its base,
// 28 px at its top and 17 px high: 340 + 527 = 867 px^2, at density 5. Each leg is a box of
// 4 x 16 px at density 1.
constexpr double kHullMass = 5.0 * 867.0 / (kScale * kScale);
constexpr double kLegMass = 1.0 * 4.0 * 16.0 / (kScale * kScale);
constexpr double kTotalMass = kHullMass + 2.0 * kLegMass;
constexpr double kGravityImpulse = 10.0 / 50.0;  // velocity lost to gravity in one step

LunarLander::Options exact() {
  LunarLander::Options options;
  options.random_push = false;
  options.dispersion = false;
  return options;
}

struct Momentum {
  double x = 0.0, y = 0.0;
};

Momentum momentum(const LunarLander& game) {
  Momentum total;
  for (const LunarLander::Body& body : game.bodies()) {
    total.x += body.mass * body.vx;
    total.y += body.mass * body.vy;
  }
  return total;
}

TEST(LunarLander, MassesAreTheHandComputedOnes) {
  LunarLander game(exact());
  game.reset(0);
  const auto bodies = game.bodies();
  EXPECT_NEAR(bodies[0].mass, kHullMass, 1e-5);
  EXPECT_NEAR(bodies[1].mass, kLegMass, 1e-6);
  EXPECT_NEAR(bodies[2].mass, kLegMass, 1e-6);
}

TEST(LunarLander, GravityAloneFromRest) {
  // Reset takes one step from rest with the engines off: the system falls at g x dt, and it
  // starts centred and level, so the observation's x and angle are 0.
  LunarLander game(exact());
  const std::vector<float> first = game.reset(3);
  Momentum p = momentum(game);
  EXPECT_NEAR(p.y, -kTotalMass * kGravityImpulse, 1e-4);
  EXPECT_NEAR(p.x, 0.0, 1e-5);
  EXPECT_NEAR(first[0], 0.0, 1e-5);
  EXPECT_NEAR(first[4], 0.0, 1e-5);
  const StepResult step = game.step(LunarLander::kNothing);
  p = momentum(game);
  EXPECT_NEAR(p.y, -2.0 * kTotalMass * kGravityImpulse, 2e-4);
  // No engine: the reward is the change in shaping alone.
  EXPECT_NEAR(step.reward, LunarLander::shaping(step.observation) - LunarLander::shaping(first),
              1e-4);
}

TEST(LunarLander, MainEngineImpulse) {
  // Level, the main engine pushes 13 x 4/30 N s straight up, through the hull's axis of
  // symmetry (no turn), and costs 0.3.
  LunarLander idle(exact()), burning(exact());
  const std::vector<float> start = idle.reset(5);
  burning.reset(5);
  idle.step(LunarLander::kNothing);
  const StepResult burn = burning.step(LunarLander::kMainEngine);
  const Momentum a = momentum(idle), b = momentum(burning);
  EXPECT_NEAR(b.y - a.y, 13.0 * 4.0 / kScale, 1e-4);
  EXPECT_NEAR(b.x - a.x, 0.0, 1e-4);  // Box2D works in single precision
  EXPECT_NEAR(burning.bodies()[0].angular_velocity, 0.0, 1e-4);
  EXPECT_NEAR(burn.reward,
              LunarLander::shaping(burn.observation) - LunarLander::shaping(start) - 0.3, 1e-4);
  // Observation scalings: velocity times 10 / 50 across, 6.67 / 50 up.
  EXPECT_NEAR(burn.observation[2], burning.bodies()[0].vx * 10.0 / 50.0, 1e-6);
  EXPECT_NEAR(burn.observation[3], burning.bodies()[0].vy * (20.0 / 3.0) / 50.0, 1e-6);
}

TEST(LunarLander, SideEnginesPushAndTurnOppositeWays) {
  // Level, the right engine (3) pushes 0.6 x 12/30 N s towards +x, applied 14 px above the
  // origin, above the hull's centroid (3.04 px up), so it turns the lander clockwise; the left
  // engine mirrors it. Each costs 0.03.
  LunarLander idle(exact()), right(exact()), left(exact());
  const std::vector<float> start = idle.reset(7);
  right.reset(7);
  left.reset(7);
  idle.step(LunarLander::kNothing);
  const StepResult r = right.step(LunarLander::kRightEngine);
  const StepResult l = left.step(LunarLander::kLeftEngine);
  const Momentum base = momentum(idle);
  EXPECT_NEAR(momentum(right).x - base.x, 0.6 * 12.0 / kScale, 1e-4);
  EXPECT_NEAR(momentum(left).x - base.x, -0.6 * 12.0 / kScale, 1e-4);
  EXPECT_NEAR(momentum(right).y - base.y, 0.0, 1e-4);
  EXPECT_LT(r.observation[5], -1e-3);
  EXPECT_GT(l.observation[5], 1e-3);
  EXPECT_NEAR(r.observation[5], -l.observation[5], 1e-4);
  EXPECT_NEAR(r.reward, LunarLander::shaping(r.observation) - LunarLander::shaping(start) - 0.03,
              1e-4);
}

TEST(LunarLander, FallingWithoutEnginesCrashesOnThePad) {
  // Straight down from 13.3 m to the pad at 3.3 m (the legs reach ~0.6 m lower than the
  // origin... and the hull follows): free fall takes sqrt(2 x 9.4 / 10) = 1.37 s, about 69
  // steps; the hull strikes the ground soon after the legs. The last reward is -100.
  LunarLander game(exact());
  game.reset(11);
  StepResult step;
  int steps = 0;
  bool legs_touched = false;
  while (!game.is_terminal() && steps < 200) {
    step = game.step(LunarLander::kNothing);
    legs_touched = legs_touched || step.observation[6] > 0.5f || step.observation[7] > 0.5f;
    ++steps;
  }
  EXPECT_TRUE(step.done);
  EXPECT_FALSE(step.truncated);
  EXPECT_EQ(step.reward, -100.0f);
  EXPECT_TRUE(legs_touched);
  EXPECT_GE(steps, 60);
  EXPECT_LE(steps, 80);
  EXPECT_NEAR(step.observation[0], 0.0, 1e-3);  // straight down
}

TEST(LunarLander, FlyingOffTheSideEndsTheEpisode) {
  // A 1000 N push for one step (20 N s on 4.96 kg: 4.03 m/s) towards +x, and the main engine
  // held (net 7.5 m/s^2 upwards, so the ground is never reached): the lander crosses x = 20 m,
  // 10 m away, in at most 2.5 s = 124 steps (the trailing legs tip it, and the tilted engine
  // then speeds it up: 73 steps here).
  LunarLander::Options options = exact();
  options.push = {1000.0, 0.0};
  LunarLander game(options);
  game.reset(13);
  EXPECT_NEAR(momentum(game).x, 1000.0 / 50.0, 1e-3);
  StepResult step;
  int steps = 0;
  while (!game.is_terminal() && steps < 400) {
    step = game.step(LunarLander::kMainEngine);
    ++steps;
  }
  EXPECT_EQ(step.reward, -100.0f);
  EXPECT_GE(step.observation[0], 1.0f);
  EXPECT_LE(steps, 124);
  EXPECT_GT(step.observation[1], 0.0f);  // in the air
}

TEST(LunarLander, HoveringIsCutOffAtTheTimeLimit) {
  // Burning whenever falling holds the lander in the air: the episode is truncated at 1000.
  LunarLander game(exact());
  game.reset(17);
  StepResult step;
  while (!game.is_terminal()) {
    step =
        game.step(game.observation()[3] < 0.0f ? LunarLander::kMainEngine : LunarLander::kNothing);
  }
  EXPECT_TRUE(step.truncated);
  EXPECT_GT(step.observation[1], 0.5f);
}

TEST(LunarLander, TheExpertLandsAndComesToRest) {
  // A landing ends with +100 when Box2D puts the lander to sleep. Seeds 0-19, with the
  // random push and dispersion: the expert lands in most of them.
  int landings = 0;
  double total = 0.0;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    LunarLander game;
    game.reset(seed);
    StepResult step;
    double score = 0.0;
    while (!game.is_terminal()) {
      step = game.step(*game.expert_action());
      score += step.reward;
    }
    if (step.reward == 100.0f) {
      ++landings;
      EXPECT_FALSE(game.bodies()[0].awake);
    }
    total += score;
  }
  EXPECT_GE(landings, 16);
  EXPECT_GT(total / 20.0, 150.0);
}

TEST(LunarLander, CloneReplaysTheSameEpisode) {
  LunarLander game;
  game.reset(23);
  for (int i = 0; i < 30; ++i) game.step(i % 4);
  const std::unique_ptr<Game> copy = game.clone();
  EXPECT_EQ(copy->observation(), game.observation());
  const StepResult a = game.step(LunarLander::kMainEngine);
  const StepResult b = copy->step(LunarLander::kMainEngine);
  EXPECT_EQ(a.observation, b.observation);
  EXPECT_EQ(a.reward, b.reward);
}

// The lookahead copy (all-moves consistency targets) rebuilds the world instead of replaying
// it: at every position of expert episodes (flight, touchdown, resting on the legs) and of
// random ones (crashes), each move's next step must agree with the exact clone's. Measured on
// these episodes: the same to the bit in most steps, worst 0.0047 (angular velocity) in the
// observation and 0.025 in the reward.
TEST(LunarLander, ALookaheadCopyStepsAsTheCloneDoes) {
  double worst = 0.0, worst_reward = 0.0;
  int positions = 0, on_ground = 0, rest_missed = 0;
  std::mt19937_64 random(5);
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    LunarLander game;
    game.reset(seed);
    while (!game.is_terminal()) {
      ++positions;
      if (game.observation()[6] > 0.0f || game.observation()[7] > 0.0f) ++on_ground;
      for (Action move = 0; move < 4; ++move) {
        const StepResult exact = game.clone()->step(move);
        const StepResult looked = game.lookahead_copy()->step(move);
        if (exact.done && exact.reward == 100.0f && !looked.done) {
          ++rest_missed;  // the copy's sleep timers start afresh
          continue;
        }
        ASSERT_EQ(looked.done, exact.done) << "seed " << seed << ", move " << move;
        if (exact.done) continue;  // the episode's end: no observation to compare
        for (int i = 0; i < 8; ++i) {
          worst = std::max(worst, std::abs(double{exact.observation[i]} - looked.observation[i]));
        }
        worst_reward = std::max(worst_reward, std::abs(double{exact.reward} - looked.reward));
      }
      const Action played =
          seed % 2 == 0 ? *game.expert_action() : static_cast<Action>(random() % 4);
      game.step(played);
    }
  }
  std::printf(
      "lookahead copy: %d positions (%d on the ground), worst observation difference "
      "%g, worst reward difference %g, %d rests missed\n",
      positions, on_ground, worst, worst_reward, rest_missed);
  EXPECT_GT(on_ground, 50) << "the expert's episodes land and rest";
  EXPECT_LT(worst, 1e-2);
  EXPECT_LT(worst_reward, 0.1);
  EXPECT_LE(rest_missed, 8) << "only the moves that end an episode at rest";
}

}  // namespace
}  // namespace muzero
