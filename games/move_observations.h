#pragma once
// The observation every legal move leads to from a position: consistency targets for the
// dynamics on moves that were not played (training.all_moves_consistency_loss_weight,
// docs/design.md, "All-moves consistency"). Trained only along the moves played, the dynamics
// of a CartPole agent that balances well forgot what the other move does: its one-step values
// ranked the two moves as the network ranks the real positions they lead to in about half of
// the positions (chance), and the search, which compares moves through the dynamics, spoiled
// the policy (docs/learning.md, "Stability").
#include <cstdint>
#include <vector>

#include "games/game.h"

namespace muzero {

struct MoveObservations {
  // A x observation size: row a is the observation after move a; zeros where not known.
  std::vector<float> observations;
  // A: 1 where move a is legal and does not end the game (after the end there is no position to
  // represent: the dynamics learn an absorbing state there, as replay targets do). A move cut
  // off by a time limit leads to a real position, which counts as known.
  std::vector<std::uint8_t> known;
};

// `game` must not be finished; it is not changed (each move is tried on its lookahead_copy(),
// a clone unless the game has a cheaper one). Games with chance give one draw of what each move
// leads to.
MoveObservations move_observations(const Game& game);

}  // namespace muzero
