#include "self_play/minimal_expert.h"

#include <stdexcept>

namespace muzero {
namespace {

Action pick(const std::vector<Action>& actions, std::mt19937_64& rng) {
  return actions[std::uniform_int_distribution<std::size_t>(0, actions.size() - 1)(rng)];
}

}  // namespace

Action minimal_expert_action(const Game& game, std::mt19937_64& rng) {
  const std::vector<Action> legal = game.legal_actions();
  if (legal.empty()) throw std::logic_error("minimal_expert_action: no legal move");
  const int me = game.to_play();
  const std::vector<Action> wins = game.winning_moves(me);
  if (!wins.empty()) return pick(wins, rng);
  if (game.num_players() == 2) {
    const std::vector<Action> blocks = game.winning_moves(1 - me);
    if (!blocks.empty()) return pick(blocks, rng);
  }
  return pick(legal, rng);
}

}  // namespace muzero
