#include "self_play/alpha_beta.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

namespace muzero {

AlphaBeta::AlphaBeta(int depth) : depth_(depth) {
  if (depth < 1 || depth > kMaxDepth) {
    throw std::invalid_argument("alpha-beta depth must be 1 to " + std::to_string(kMaxDepth) +
                                ", not " + std::to_string(depth));
  }
}

std::vector<Action> centre_first(const Game& game) {
  std::vector<Action> moves = game.legal_actions();
  const double middle = (game.action_space_size() - 1) / 2.0;
  std::stable_sort(moves.begin(), moves.end(), [middle](Action a, Action b) {
    return std::abs(a - middle) < std::abs(b - middle);
  });
  return moves;
}

// The score of `action` for the player to move in `game`, searched `depth` plies deep in
// all (the move included), within the window (alpha, beta) of that player.
double AlphaBeta::move_score(const Game& game, Action action, int depth, double alpha,
                             double beta) const {
  const std::unique_ptr<Game> next = game.clone();
  const int mover = game.to_play();
  const double gained = next->step(action).reward * (kWinScore + depth);
  if (next->is_terminal()) return gained;
  if (next->to_play() == mover)
    return gained + negamax(*next, depth - 1, alpha - gained, beta - gained);
  return gained - negamax(*next, depth - 1, gained - beta, gained - alpha);
}

double AlphaBeta::negamax(const Game& game, int depth, double alpha, double beta) const {
  ++nodes_;
  if (depth == 0) return game.heuristic_value();
  double best = -std::numeric_limits<double>::infinity();
  for (const Action action : centre_first(game)) {
    best = std::max(best, move_score(game, action, depth, alpha, beta));
    alpha = std::max(alpha, best);
    if (alpha >= beta) break;
  }
  return best;
}

std::vector<std::pair<Action, double>> AlphaBeta::move_scores(const Game& game) const {
  if (game.is_terminal()) throw std::invalid_argument("alpha-beta: the game is over");
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  std::vector<std::pair<Action, double>> scores;
  for (const Action action : centre_first(game)) {  // a full window each: exact scores
    scores.emplace_back(action, move_score(game, action, depth_, -kInfinity, kInfinity));
  }
  return scores;
}

Action AlphaBeta::choose(const Game& game, std::mt19937_64& rng) const {
  const auto scores = move_scores(game);
  double best = -std::numeric_limits<double>::infinity();
  for (const auto& [action, score] : scores) best = std::max(best, score);
  std::vector<Action> best_moves;
  for (const auto& [action, score] : scores) {
    if (score >= best - 1e-9) best_moves.push_back(action);
  }
  return best_moves[std::uniform_int_distribution<std::size_t>(0, best_moves.size() - 1)(rng)];
}

}  // namespace muzero
