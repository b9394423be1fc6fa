#pragma once
// `muzero evaluate --opponent every-line`: MuZero's search without noise plays the most visited
// move, so it answers a position always the same way; against it, every possible line of the
// opponent's replies from the start is one game. Playing them all judges a small game's agent
// exhaustively: a deterministic expert tries one line per seat, a random player a sample.
// The games advance together, layer by layer, so each simulation is one batched network call
// over every position where MuZero is to move.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "games/game.h"
#include "self_play/evaluator.h"
#include "self_play/mcts.h"

namespace muzero {

struct EveryLineResult {
  std::int64_t lines = 0;                        // finished games: one per line of replies
  std::int64_t wins = 0, draws = 0, losses = 0;  // for MuZero
  std::vector<Action> first_loss;                // the moves of one lost game, when there is one
  // False when the lines would exceed the limit: the counts cover none of the game then.
  bool complete = true;
};

// MuZero plays seat `muzero_player` (0 or 1) of a two-player game; the other seat plays every
// legal move at each of its turns. Stops, incomplete, when more than `max_lines` games would be
// in play at once. A game longer than `max_moves` counts as a draw.
EveryLineResult play_every_line(const std::function<std::unique_ptr<Game>()>& make_game,
                                Evaluator& evaluator, SearchParams search, int muzero_player,
                                std::int64_t max_lines, int max_moves);

}  // namespace muzero
