#pragma once
// Builds game histories with chosen rewards, root values and players for target tests.
#include <vector>

#include "replay_buffer/game_history.h"

namespace muzero::testing {

// rewards[i], to_play[i] for positions 0..n (rewards[0] ignored), root_values for 0..n-1.
// Observations are {position}; the policy at position i is one-hot on action i % A.
inline GameHistory make_history(const std::vector<float>& rewards, const std::vector<int>& to_play,
                                const std::vector<float>& root_values, int action_space = 2) {
  const std::vector<float> first{0.0f};
  GameHistory history(1, action_space, first, to_play[0]);
  for (std::size_t i = 0; i < root_values.size(); ++i) {
    std::vector<float> policy(action_space, 0.0f);
    policy[i % action_space] = 1.0f;
    const std::vector<float> next{static_cast<float>(i + 1)};
    history.add_move(policy, root_values[i], static_cast<Action>(i % action_space), rewards[i + 1],
                     next, to_play[i + 1]);
  }
  return history;
}

}  // namespace muzero::testing
