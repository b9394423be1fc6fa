#pragma once
// TicTacToe for two players. Actions 0..8 are cells row * 3 + column. Observation planes, from
// the point of view of the player to move: own stones, opponent stones, and a plane that is
// 1 when player 0 is to move and -1 otherwise. The expert plays perfectly (solved by negamax).
#include <array>

#include "games/game.h"

namespace muzero {

class TicTacToe final : public Game {
 public:
  // 0 empty, 1 player 0's stone, 2 player 1's stone.
  using Board = std::array<std::uint8_t, 9>;

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override;
  std::vector<Action> legal_actions() const override;
  bool is_terminal() const override { return winner_ >= 0 || moves_ == 9; }
  std::vector<Action> winning_moves(int player) const override;
  int to_play() const override { return to_play_; }
  int num_players() const override { return 2; }
  int action_space_size() const override { return 9; }
  ObservationShape observation_shape() const override { return {3, 3, 3}; }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  std::optional<Action> expert_action() const override;
  // Open lines: each line that holds stones of one player only counts 1, 4 or 16 for 1, 2 or 3
  // of them, for that player; d, the mover's count less the opponent's, gives d / (|d| + 16).
  double heuristic_value() const override;
  std::vector<Symmetry> symmetries() const override;  // the square's 3 rotations, 4 mirrors
  std::unique_ptr<Game> clone() const override { return std::make_unique<TicTacToe>(*this); }

  // Game-theoretic value for the player to move: 1 win, 0 draw, -1 loss (0 when terminal).
  int solved_value() const;
  // The legal moves that keep solved_value(): a win, or a move after which the opponent's solved
  // value is the negation of this one. Empty when terminal.
  std::vector<Action> optimal_moves() const;
  // Every position reachable from the empty board where a player is to move (4,520), each once
  // (the same stones reached by other move orders are one position).
  static std::vector<TicTacToe> reachable_positions();
  const Board& board() const { return board_; }
  // -1 while nobody has three in a row.
  int winner() const { return winner_; }

 private:
  Board board_{};
  int to_play_ = 0;
  int moves_ = 0;
  int winner_ = -1;
};

}  // namespace muzero
