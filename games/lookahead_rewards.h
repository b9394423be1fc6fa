#pragma once
// The rewards the true rules give every move at a position and every reply to it: training
// targets for the dynamics on moves that were not played (training.lookahead_reward_loss_weight,
// docs/design.md, "Lookahead rewards"). A learned model that has only seen the moves played
// misjudges the others: Connect4 checkpoints gave the opponent's winning reply to a blunder a
// reward of about +0.2 where the rules give +1 (docs/learning.md).
#include <cstddef>
#include <vector>

#include "games/game.h"

namespace muzero {

// Entries per position for a game with `action_space_size` (A) actions: A + A x A.
inline std::size_t lookahead_size(int action_space_size) {
  const std::size_t a = static_cast<std::size_t>(action_space_size);
  return a + a * a;
}

// Layout, A = game.action_space_size():
//   [a]              reward for the player to move of move a; NaN when a is illegal;
//   [A + a * A + b]  reward of reply b after move a, for the player who makes it; NaN when a or
//                    b is illegal; 0 for every b when move a ends the game (past the end the
//                    dynamics learn an absorbing state with reward 0, as replay targets do).
// `game` must not be finished; it is not changed (each move is tried on a clone).
std::vector<float> lookahead_rewards(const Game& game);

}  // namespace muzero
