#pragma once
// A depth-limited negamax with alpha-beta pruning over a game's true rules: the opponent
// `alphabeta:D` of `evaluate`, `play` and test rounds, a stronger and varied yardstick than the
// one-move experts. For two-player games whose rewards go to the player who moved (Game).
//
// Scores are for the player to move. A move's score is its reward times (kWinScore + plies
// left), so that a win sooner scores more and a loss later less, plus (negated when the other
// player moves next) the score of the position it leads to; at depth 0 a position scores the
// game's heuristic_value(), inside (-1, 1); a finished game scores 0 beyond its last reward.
// Moves are tried centre first (actions nearest the middle of the action range: better
// pruning in Connect4, the centre cell in TicTacToe); ties at the root are broken at random.
#include <random>
#include <utility>
#include <vector>

#include "games/game.h"

namespace muzero {

class AlphaBeta {
 public:
  static constexpr double kWinScore = 100.0;
  static constexpr int kMaxDepth = 20;

  // depth in plies, 1..kMaxDepth (std::invalid_argument otherwise).
  explicit AlphaBeta(int depth);

  int depth() const { return depth_; }
  // Every legal move of `game` (not finished) with its exact score at this depth.
  std::vector<std::pair<Action, double>> move_scores(const Game& game) const;
  // A move of the best score, chosen uniformly among equals.
  Action choose(const Game& game, std::mt19937_64& rng) const;
  // Positions visited by the searches so far (for tests and benchmarks).
  long nodes() const { return nodes_; }

 private:
  double negamax(const Game& game, int depth, double alpha, double beta) const;
  double move_score(const Game& game, Action action, int depth, double alpha, double beta) const;

  int depth_;
  mutable long nodes_ = 0;
};

// The moves of `game` in the order the search tries them: nearest the middle first.
std::vector<Action> centre_first(const Game& game);

}  // namespace muzero
