#pragma once
// muzero-general's simple_grid, written here: a 3 x 3 grid, the agent starts in the top-left
// cell and the goal is the bottom-right one; the moves are down and right, both always legal as
// in muzero-general's wrapper (one that would leave the grid does nothing), and reaching the
// goal ends the episode with reward 1 (muzero-general pays 10). The best episode takes 4
// moves; a policy that pushes against the edge wastes moves, and the config cuts episodes off
// after 6 (self_play.max_moves, as muzero-general's max_moves).
#include "games/game.h"

namespace muzero {

class SimpleGrid final : public Game {
 public:
  static constexpr int kSize = 3;
  enum Move { kDown = 0, kRight = 1 };

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override;
  std::vector<Action> legal_actions() const override {
    return is_terminal() ? std::vector<Action>{} : std::vector<Action>{kDown, kRight};
  }
  bool is_terminal() const override { return row_ == kSize - 1 && column_ == kSize - 1; }
  int to_play() const override { return 0; }
  int num_players() const override { return 1; }
  int action_space_size() const override { return 2; }
  ObservationShape observation_shape() const override { return {1, 1, kSize * kSize}; }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  std::optional<Action> expert_action() const override;
  std::unique_ptr<Game> clone() const override { return std::make_unique<SimpleGrid>(*this); }

 private:
  int row_ = 0, column_ = 0;
};

}  // namespace muzero
