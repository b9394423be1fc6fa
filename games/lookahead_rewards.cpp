#include "games/lookahead_rewards.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <stdexcept>

namespace muzero {

std::vector<float> lookahead_rewards(const Game& game) {
  if (game.is_terminal()) throw std::invalid_argument("lookahead_rewards: the game is over");
  const int A = game.action_space_size();
  std::vector<float> rewards(lookahead_size(A), std::numeric_limits<float>::quiet_NaN());
  for (const Action move : game.legal_actions()) {
    std::unique_ptr<Game> after_move = game.clone();
    const StepResult step = after_move->step(move);
    rewards[move] = step.reward;
    float* replies = rewards.data() + A + static_cast<std::size_t>(move) * A;
    if (step.done) {
      std::fill(replies, replies + A, 0.0f);
      continue;
    }
    for (const Action reply : after_move->legal_actions()) {
      replies[reply] = after_move->clone()->step(reply).reward;
    }
  }
  return rewards;
}

}  // namespace muzero
