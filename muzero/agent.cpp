#include "muzero/agent.h"

#include "games/registry.h"
#include "trainer/checkpoint.h"

namespace muzero {

Agent load_agent(const std::string& checkpoint_path) {
  const CheckpointInfo info = read_checkpoint_info(checkpoint_path);
  Agent agent;
  agent.config = parse_config(info.config_yaml, checkpoint_path + " (its embedded config)");
  agent.game = make_game(agent.config.game_name);
  agent.network = make_network(agent.config.network, agent.game->observation_shape(),
                               agent.game->action_space_size());
  load_checkpoint_weights(checkpoint_path, *agent.network);
  return agent;
}

}  // namespace muzero
