#include "muzero/command/torch_players.h"

#include "games/registry.h"
#include "models/device.h"
#include "models/evaluator_factory.h"

namespace muzero {

std::unique_ptr<NetworkEvaluator> make_player_evaluator(const Config& config) {
  const GameSpec game = game_spec(config.game_name);
  return make_evaluator(config.network, game.observation_shape, game.action_space_size,
                        config.inference, select_device(config.self_play_device));
}

}  // namespace muzero
