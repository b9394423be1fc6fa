#include "games/game_spec.h"

namespace muzero {

GameSpec spec_of(const std::string& name, const Game& game) {
  return {name, game.observation_shape(), game.action_space_size(), game.num_players()};
}

}  // namespace muzero
