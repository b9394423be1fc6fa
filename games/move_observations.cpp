#include "games/move_observations.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace muzero {

MoveObservations move_observations(const Game& game) {
  if (game.is_terminal()) throw std::logic_error("move_observations: the game is over");
  const std::size_t A = static_cast<std::size_t>(game.action_space_size());
  const std::size_t size = static_cast<std::size_t>(game.observation_shape().size());
  MoveObservations out;
  out.observations.assign(A * size, 0.0f);
  out.known.assign(A, 0);
  for (const Action action : game.legal_actions()) {
    const std::unique_ptr<Game> next = game.lookahead_copy();
    const StepResult step = next->step(action);
    if (step.done && !step.truncated) continue;
    if (step.observation.size() != size) {
      throw std::logic_error("move_observations: an observation of the wrong size");
    }
    std::copy(step.observation.begin(), step.observation.end(),
              out.observations.begin() + static_cast<std::ptrdiff_t>(action * size));
    out.known[action] = 1;
  }
  return out;
}

}  // namespace muzero
