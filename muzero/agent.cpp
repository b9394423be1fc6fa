#include "muzero/agent.h"

#include <iostream>

#include "games/registry.h"
#include "models/evaluator_factory.h"
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

std::unique_ptr<NetworkEvaluator> make_agent_evaluator(Agent& agent, const std::string& inference) {
  auto evaluator = make_evaluator(agent.config.network, agent.game->observation_shape(),
                                  agent.game->action_space_size(),
                                  inference.empty() ? agent.config.inference : inference);
  evaluator->load(to_parameters(*agent.network));
  return evaluator;
}

std::unique_ptr<NetworkEvaluator> agent_evaluator_or_explain(Agent& agent,
                                                             const std::string& inference) {
  try {
    return make_agent_evaluator(agent, inference);
  } catch (const std::invalid_argument& error) {
    std::cerr << "muzero: --inference " << inference << ": " << error.what() << "\n";
    return nullptr;
  }
}

std::optional<Agent> load_agent_or_explain(const std::string& checkpoint_path) {
  try {
    return load_agent(checkpoint_path);
  } catch (const std::exception& error) {  // CheckpointError, ConfigError
    std::cerr << "muzero: " << error.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace muzero
