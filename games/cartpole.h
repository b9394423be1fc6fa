#pragma once
// CartPole-v1 with exactly Gym's dynamics: Euler integration, tau 0.02, force 10 N,
// failure past 12 degrees or 2.4 m, at most 500 steps, reward 1 per step taken.
#include <array>
#include <random>

#include "games/game.h"

namespace muzero {

class CartPole final : public Game {
 public:
  static constexpr double kGravity = 9.8;
  static constexpr double kCartMass = 1.0;
  static constexpr double kPoleMass = 0.1;
  static constexpr double kPoleHalfLength = 0.5;
  static constexpr double kForce = 10.0;
  static constexpr double kTau = 0.02;
  static constexpr double kThetaLimit = 12.0 * 2.0 * 3.14159265358979323846 / 360.0;
  static constexpr double kXLimit = 2.4;
  static constexpr int kMaxSteps = 500;

  // State is (x, x_dot, theta, theta_dot).
  using State = std::array<double, 4>;

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override;
  std::vector<Action> legal_actions() const override {
    return done_ ? std::vector<Action>{} : std::vector<Action>{0, 1};
  }
  bool is_terminal() const override { return done_; }
  int to_play() const override { return 0; }
  int num_players() const override { return 1; }
  int action_space_size() const override { return 2; }
  ObservationShape observation_shape() const override { return {1, 1, 4}; }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  std::unique_ptr<Game> clone() const override { return std::make_unique<CartPole>(*this); }

  const State& state() const { return state_; }
  void set_state(const State& state) { state_ = state; }
  int steps() const { return steps_; }

 private:
  State state_{};
  int steps_ = 0;
  bool done_ = true;
};

}  // namespace muzero
