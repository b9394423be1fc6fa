#pragma once
// LunarLander (discrete, 4 actions), written here from the published rules of the classic Gym
// environment, on Box2D from Debian (libbox2d-dev 2.4.1; Gym uses pybox2d's 2.3, so episodes
// agree in their rules, not to the last bit):
// - a 20 x 13.3 m world under gravity 10 m/s^2, stepped at 50 Hz (180 velocity and 60 position
//   iterations); terrain of 10 segments through random heights, smoothed, with a flat pad
//   between x = 8 and x = 12;
// - the lander (a hexagon of density 5) with two spring-loaded legs starts at the top centre,
//   pushed by a random force of up to 1000 N on each axis for the first step;
// - actions: 0 nothing, 1 left orientation engine, 2 main engine, 3 right orientation engine;
//   each engine's impulse is jittered by a small random dispersion;
// - observation (8 values): position relative to the pad, velocity, angle, angular velocity
//   (Gym's scalings), and one contact flag per leg;
// - reward: the change in shaping (-100 x distance - 100 x speed - 100 x |angle| + 10 per leg
//   on the ground), less 0.3 per main-engine step and 0.03 per side-engine step; the episode
//   ends with -100 when the body touches the ground or flies off the side (|x| >= 1), with +100
//   when the lander comes to rest (Box2D puts it to sleep), and is cut off after 1000 steps.
// A clone replays the episode from its seed (a Box2D world cannot be copied): O(moves). A
// lookahead copy, for trying one move, sets the bodies' states in a fresh world instead: O(1).
#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "games/game.h"

namespace muzero {

class LunarLander final : public Game {
 public:
  enum Move { kNothing = 0, kLeftEngine = 1, kMainEngine = 2, kRightEngine = 3 };
  static constexpr int kMaxSteps = 1000;

  // Switches for tests that compute transitions by hand: without the first push and the
  // engines' dispersion an episode is a pure function of the terrain and the moves.
  struct Options {
    bool random_push = true;
    bool dispersion = true;
    std::array<double, 2> push{0.0, 0.0};  // added to the first step's force, in N
  };

  LunarLander();
  explicit LunarLander(const Options& options);
  ~LunarLander() override;

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override { return observation_; }
  std::vector<Action> legal_actions() const override {
    return done_ ? std::vector<Action>{} : std::vector<Action>{0, 1, 2, 3};
  }
  bool is_terminal() const override { return done_; }
  int to_play() const override { return 0; }
  int num_players() const override { return 1; }
  int action_space_size() const override { return 4; }
  ObservationShape observation_shape() const override { return {1, 1, 8}; }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  // A feedback controller written here (tilt towards the pad, brake the fall, stop on the
  // ground); docs/learning.md, "The zoo", gives its score.
  std::optional<Action> expert_action() const override;
  std::unique_ptr<Game> clone() const override;
  // The world rebuilt from the seed (terrain, bodies, joints), then each body's position, angle
  // and velocities set as they are now, and the impulses Box2D's solver carries from step to
  // step (joints, touching contacts) copied over. The broad phase's order and the bodies' sleep
  // timers start afresh, so the next observation agrees with the clone's within 0.005 at worst
  // (to the bit in most steps), and a move after which the lander would come to rest may not
  // end the episode (tests/lunar_lander_test.cpp measures both).
  std::unique_ptr<Game> lookahead_copy() const override;

  // For tests and diagnostics: the three bodies (0 the lander, 1 and 2 its legs).
  struct Body {
    double mass, x, y, vx, vy, angle, angular_velocity;
    bool awake;
  };
  std::array<Body, 3> bodies() const;
  // The shaping potential of an observation, as the reward uses it.
  static double shaping(const std::vector<float>& observation);
  // Terrain: the 11 heights the ground's segments run through, at x = 0, 2, ..., 20.
  const std::array<double, 11>& terrain() const { return terrain_; }

 private:
  struct World;  // Box2D lives only in the .cpp
  // The warm-start impulses of `from`'s joints and touching contacts onto the same ones in `to`.
  static void copy_solver_impulses(const World& from, World& to);
  StepResult advance(Action action, bool first);

  Options options_;
  std::uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<World> world_;
  std::vector<Action> moves_;
  std::array<double, 11> terrain_{};
  std::vector<float> observation_ = std::vector<float>(8, 0.0f);
  double previous_shaping_ = 0.0;
  int steps_ = 0;
  bool done_ = true;
};

}  // namespace muzero
