#pragma once
// Gomoku on an 11 x 11 board (muzero-general's size): two players place stones in turn, and
// five or more in a row, column or diagonal wins (freestyle: an overline wins too); a full
// board is a draw. Actions are cells row * 11 + column, written a1..k11 (column letter, row
// number). Observation planes from the point of view of the player to move: own stones,
// opponent stones, and a plane of 1 when player 0 is to move, -1 otherwise (as TicTacToe's).
// The expert wins when it can, blocks a win the opponent threatens, and otherwise extends its
// own longest line (ties broken at random from the position's seed), as the issue asks.
#include <array>
#include <cstdint>

#include "games/game.h"

namespace muzero {

class Gomoku final : public Game {
 public:
  static constexpr int kSize = 11;
  static constexpr int kCells = kSize * kSize;
  static constexpr int kWin = 5;

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override;
  std::vector<Action> legal_actions() const override;
  bool is_terminal() const override { return winner_ >= 0 || moves_ == kCells; }
  std::vector<Action> winning_moves(int player) const override;
  int to_play() const override { return to_play_; }
  int num_players() const override { return 2; }
  int action_space_size() const override { return kCells; }
  ObservationShape observation_shape() const override { return {3, kSize, kSize}; }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  std::optional<Action> expert_action() const override;
  std::vector<Symmetry> symmetries() const override;  // the square's 3 rotations, 4 mirrors
  std::unique_ptr<Game> clone() const override { return std::make_unique<Gomoku>(*this); }

  // The longest line `stone` would have through `cell` (an empty cell) if placed there.
  int line_through(int cell, std::uint8_t stone) const;
  int winner() const { return winner_; }

 private:
  std::array<std::uint8_t, kCells> board_{};  // 0 empty, 1 player 0, 2 player 1
  int to_play_ = 0;
  int moves_ = 0;
  int winner_ = -1;
  std::uint64_t seed_ = 0;  // the expert's tie-breaks: the same position, the same move
};

}  // namespace muzero
