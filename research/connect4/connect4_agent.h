#pragma once
// Loads a checkpoint for the Connect4 diagnostics, refusing other games.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "games/connect4.h"
#include "muzero/agent.h"

namespace muzero {

// The agent in evaluation mode, or nullopt after printing why `tool` cannot use it.
inline std::optional<Agent> load_connect4_agent(const std::string& checkpoint, const char* tool) {
  Agent agent = load_agent(checkpoint);
  if (dynamic_cast<const Connect4*>(agent.game.get()) == nullptr) {  // either variant
    std::fprintf(stderr, "%s: %s is a %s checkpoint\n", tool, checkpoint.c_str(),
                 agent.config.game_name.c_str());
    return std::nullopt;
  }
  agent.network->eval();
  return agent;
}

// The observation `agent`'s network reads for `game` (with threat planes or without); `agent`
// comes from load_connect4_agent.
inline std::vector<float> observe(const Agent& agent, const Connect4& game) {
  return game.observation(static_cast<const Connect4&>(*agent.game).threat_planes());
}

}  // namespace muzero
