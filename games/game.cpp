#include "games/game.h"

namespace muzero {

std::vector<Action> Game::winning_moves(int player) const {
  std::vector<Action> wins;
  if (is_terminal() || num_players() != 2 || player != to_play()) return wins;
  for (Action action : legal_actions()) {
    const std::unique_ptr<Game> next = clone();
    const StepResult step = next->step(action);
    if (step.done && step.reward > 0) wins.push_back(action);
  }
  return wins;
}

}  // namespace muzero
