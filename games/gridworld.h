#pragma once
// MiniGrid's Empty-Random-6x6, written here: a 6 x 6 room whose border is wall, the goal in the
// bottom-right free cell, the agent at a random free cell facing a random way. Three actions,
// MiniGrid's meaningful ones in an empty room: turn left, turn right, move forward (into a wall
// it stays put). Reaching the goal ends the episode with 1 - 0.9 x steps / 144 (MiniGrid's
// reward; 144 = 4 x 6 x 6 is its step limit, after which the episode is cut off with 0).
// The observation is the whole room, fully observed: planes for walls, the goal and the agent
// facing each of the four ways (MiniGrid's agent sees a 7 x 7 view ahead of it instead).
#include <random>

#include "games/game.h"

namespace muzero {

class Gridworld final : public Game {
 public:
  static constexpr int kSize = 6;
  static constexpr int kMaxSteps = 4 * kSize * kSize;
  static constexpr int kGoal = kSize - 2;  // row and column of the goal
  enum Move { kTurnLeft = 0, kTurnRight = 1, kForward = 2 };
  // Directions as MiniGrid numbers them: 0 east, 1 south, 2 west, 3 north.

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override;
  std::vector<Action> legal_actions() const override {
    return done_ ? std::vector<Action>{} : std::vector<Action>{kTurnLeft, kTurnRight, kForward};
  }
  bool is_terminal() const override { return done_; }
  int to_play() const override { return 0; }
  int num_players() const override { return 1; }
  int action_space_size() const override { return 3; }
  ObservationShape observation_shape() const override { return {6, kSize, kSize}; }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  // The first move of a shortest way to the goal (breadth-first over position and direction).
  std::optional<Action> expert_action() const override;
  std::unique_ptr<Game> clone() const override { return std::make_unique<Gridworld>(*this); }

  // The fewest moves from here to the goal, and the return they earn: the best possible.
  int moves_to_goal() const;
  double optimal_return() const;
  void place(int row, int column, int direction);  // for tests: a chosen start

 private:
  int row_ = 1, column_ = 1, direction_ = 0;
  int steps_ = 0;
  bool done_ = true;
};

}  // namespace muzero
