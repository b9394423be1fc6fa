#pragma once
// A trained agent loaded from a checkpoint: its embedded config, the game it plays and its
// network, ready for evaluate and play.
#include <memory>
#include <optional>
#include <string>

#include "games/game.h"
#include "models/network.h"
#include "models/network_evaluator.h"
#include "muzero/config.h"

namespace muzero {

struct Agent {
  Config config;
  std::unique_ptr<Game> game;  // a fresh game of the checkpoint's kind
  std::shared_ptr<MuZeroNetwork> network;
};

// An evaluator holding the agent's weights, on the backend `inference` names (auto, native or
// torch; empty: the checkpoint's self_play.inference).
std::unique_ptr<NetworkEvaluator> make_agent_evaluator(Agent& agent,
                                                       const std::string& inference = "");

// The same for commands with an --inference option: prints "muzero: --inference NAME: REASON"
// and returns nullptr when that backend cannot run the agent's network.
std::unique_ptr<NetworkEvaluator> agent_evaluator_or_explain(Agent& agent,
                                                             const std::string& inference);

// Throws CheckpointError or ConfigError with the reason when the checkpoint cannot be used.
Agent load_agent(const std::string& checkpoint_path);
// The same for commands: prints "muzero: REASON" to stderr and returns nullopt on failure.
std::optional<Agent> load_agent_or_explain(const std::string& checkpoint_path);

}  // namespace muzero
