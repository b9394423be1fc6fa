#pragma once
// Connect Four on a 6 x 7 board: a move drops a stone into a column (actions 0..6); four in a
// row horizontally, vertically or diagonally wins; a full board is a draw. Observation planes,
// from the point of view of the player to move: own stones, opponent stones, and a plane of 1
// when player 0 is to move and -1 otherwise. The "connect4_threats" variant adds two planes
// computed by the rules: the empty cells where the player to move, then the opponent, would
// complete four (playable now or not), hand-made knowledge like AlphaGo's liberty planes
// (docs/learning.md, "Threat planes"). The expert wins when it can, blocks an immediate loss,
// avoids moves that hand the opponent a win, and otherwise prefers central columns.
#include <array>

#include "games/game.h"

namespace muzero {

class Connect4 final : public Game {
 public:
  static constexpr int kRows = 6;
  static constexpr int kColumns = 7;
  // board[row][column], row 0 at the bottom; 0 empty, 1 player 0, 2 player 1.
  using Board = std::array<std::array<std::uint8_t, kColumns>, kRows>;

  explicit Connect4(bool threat_planes = false) : threat_planes_(threat_planes) {}

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override { return observation(threat_planes_); }
  // The observation with or without the threat planes, whichever this game gives.
  std::vector<float> observation(bool threat_planes) const;
  std::vector<Action> legal_actions() const override;
  bool is_terminal() const override { return winner_ >= 0 || moves_ == kRows * kColumns; }
  int to_play() const override { return to_play_; }
  int num_players() const override { return 2; }
  int action_space_size() const override { return kColumns; }
  ObservationShape observation_shape() const override {
    return {threat_planes_ ? 5 : 3, kRows, kColumns};
  }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  std::optional<Action> expert_action() const override;
  // Open lines: each line that holds stones of one player only counts 1, 4 or 16 for 1, 2 or 3
  // of them, for that player; d, the mover's count less the opponent's, gives d / (|d| + 16).
  double heuristic_value() const override;
  std::vector<Symmetry> symmetries() const override;  // the left-right mirror
  std::unique_ptr<Game> clone() const override { return std::make_unique<Connect4>(*this); }

  const Board& board() const { return board_; }
  int winner() const { return winner_; }  // -1 while nobody has four in a row
  bool threat_planes() const { return threat_planes_; }

  std::vector<Action> winning_moves(int player) const override;

 private:
  // Whether dropping `stone` into `column` would make four in a row (column must not be full).
  bool wins(int column, std::uint8_t stone) const;
  // Whether `stone` at (row, column), an empty cell, would make four in a row.
  bool completes_four(int row, int column, std::uint8_t stone) const;
  int drop_row(int column) const;  // lowest empty row, or kRows when full

  bool threat_planes_ = false;
  Board board_{};
  int to_play_ = 0;
  int moves_ = 0;
  int winner_ = -1;
};

}  // namespace muzero
