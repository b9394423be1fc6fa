// "catch": a ball falls down a 5 x 5 board, one row a move, from a random column; the paddle on
// the bottom row moves left, stays or moves right. Catching the ball pays 1, missing it -1; the
// episode ends when the ball reaches the bottom (4 moves). A classic small RL test (DeepMind's
// bsuite has one), written here as a game plugin.
#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

#include "games/plugin_api.h"

namespace {

class Catch final : public muzero::Game {
 public:
  static constexpr int kSize = 5;

  std::vector<float> reset(std::uint64_t seed) override {
    std::mt19937_64 rng(seed);
    ball_column_ = std::uniform_int_distribution<int>(0, kSize - 1)(rng);
    ball_row_ = 0;
    paddle_ = kSize / 2;
    return observation();
  }
  muzero::StepResult step(muzero::Action action) override {
    if (is_terminal()) throw std::logic_error("catch: the episode is over");
    if (action < 0 || action > 2) throw std::invalid_argument("catch: actions are 0, 1 and 2");
    paddle_ = std::clamp(paddle_ + action - 1, 0, kSize - 1);
    ++ball_row_;
    const bool done = is_terminal();
    const float reward = done ? (paddle_ == ball_column_ ? 1.0f : -1.0f) : 0.0f;
    return {observation(), reward, done, false};
  }
  std::vector<float> observation() const override {
    std::vector<float> cells(2 * kSize * kSize, 0.0f);
    cells[ball_row_ * kSize + ball_column_] = 1.0f;
    cells[kSize * kSize + (kSize - 1) * kSize + paddle_] = 1.0f;
    return cells;
  }
  std::vector<muzero::Action> legal_actions() const override {
    return is_terminal() ? std::vector<muzero::Action>{} : std::vector<muzero::Action>{0, 1, 2};
  }
  bool is_terminal() const override { return ball_row_ == kSize - 1; }
  int to_play() const override { return 0; }
  int num_players() const override { return 1; }
  int action_space_size() const override { return 3; }
  muzero::ObservationShape observation_shape() const override { return {2, kSize, kSize}; }
  std::string render() const override {
    std::string out;
    for (int r = 0; r < kSize; ++r) {
      for (int c = 0; c < kSize; ++c) {
        const bool ball = r == ball_row_ && c == ball_column_;
        const bool paddle = r == kSize - 1 && c == paddle_;
        out += ball && paddle ? '@' : ball ? 'o' : paddle ? '=' : '.';
      }
      out += '\n';
    }
    return out;
  }
  std::string action_to_string(muzero::Action action) const override {
    return action == 0 ? "left" : action == 1 ? "stay" : "right";
  }
  std::optional<muzero::Action> action_from_string(std::string_view text) const override {
    if (text == "l" || text == "left") return 0;
    if (text == "s" || text == "stay") return 1;
    if (text == "r" || text == "right") return 2;
    return std::nullopt;
  }
  // Move toward the ball's column: always catches it (it starts at most 2 columns away).
  std::optional<muzero::Action> expert_action() const override {
    if (is_terminal()) return std::nullopt;
    return paddle_ < ball_column_ ? 2 : paddle_ > ball_column_ ? 0 : 1;
  }
  std::unique_ptr<muzero::Game> clone() const override { return std::make_unique<Catch>(*this); }

 private:
  int ball_row_ = kSize - 1, ball_column_ = 0, paddle_ = kSize / 2;
};

}  // namespace

MUZERO_GAME_PLUGIN(add) {
  add("catch", []() -> muzero::Game* { return new Catch(); });
}
