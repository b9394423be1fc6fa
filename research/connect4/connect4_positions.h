#pragma once
// Connect4 positions and one-move rules for the diagnostics (connect4_probe, connect4_rules,
// connect4_losses); the positions come from games where each move is the expert's or a
// uniformly random one, with equal odds.
#include <random>
#include <vector>

#include "games/connect4.h"

namespace muzero {

inline bool wins_now(const Connect4& game, Action action) {
  Connect4 next = game;
  return next.step(action).reward > 0;
}

// Whether the opponent can win at once after `action` (false when `action` ends the game).
inline bool opponent_wins_after(const Connect4& game, Action action) {
  Connect4 next = game;
  if (next.step(action).done) return false;
  for (Action reply : next.legal_actions()) {
    if (wins_now(next, reply)) return true;
  }
  return false;
}

// One of `legal`, uniformly.
inline Action random_move(const std::vector<Action>& legal, std::mt19937_64& rng) {
  return legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
}

// Up to `moves` uniformly random moves, as `muzero evaluate --random-opening` starts games.
inline void play_random_moves(Connect4& game, int moves, std::mt19937_64& rng) {
  for (int i = 0; i < moves && !game.is_terminal(); ++i) {
    game.step(random_move(game.legal_actions(), rng));
  }
}

// The opponent issue 4 names as the least an expert must be (and muzero-general's Connect4
// expert): it wins when it can, blocks an immediate loss, and otherwise plays a uniformly
// random column. Connect4's own expert also avoids handing over a win and prefers the center.
inline Action minimal_expert_action(const Connect4& game, std::mt19937_64& rng) {
  const std::vector<Action> legal = game.legal_actions();
  for (Action a : legal) {
    if (wins_now(game, a)) return a;
  }
  // A block: a column where the opponent would win at once. Another move of ours first cannot
  // fill that line (its other three cells are the opponent's), so after any one other move,
  // ask whether the opponent wins there.
  for (Action a : legal) {
    for (Action other : legal) {
      if (other == a) continue;
      Connect4 after = game;
      if (!after.step(other).done && wins_now(after, a)) return a;
      break;
    }
  }
  return random_move(legal, rng);
}

// Calls visit(game) on every unfinished position of such games, one game after another, until
// it returns false.
template <typename Visit>
void visit_mixed_game_positions(std::mt19937_64& rng, Visit visit) {
  std::bernoulli_distribution expert_moves(0.5);
  for (;;) {
    Connect4 game;
    game.reset(rng());
    while (!game.is_terminal()) {
      if (!visit(game)) return;
      game.step(expert_moves(rng) ? *game.expert_action() : random_move(game.legal_actions(), rng));
    }
  }
}

}  // namespace muzero
