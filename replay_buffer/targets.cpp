#include "replay_buffer/targets.h"

#include <algorithm>
#include <cmath>

namespace muzero {

float value_target(const GameHistory& history, int position, int td_steps, double discount) {
  const int moves = history.num_moves();
  if (position >= moves) return 0.0f;
  const int bootstrap = position + td_steps;
  const int player = history.to_play[position];
  double value = 0.0;
  if (bootstrap < moves) {
    const double root = history.root_values[bootstrap];
    value = (history.to_play[bootstrap] == player ? root : -root) * std::pow(discount, td_steps);
  } else if (history.truncated) {
    // The cut-off position was never searched; the last search's value stands in for it.
    // Counting it as 0 would teach that positions late in long games are bad, which in
    // CartPole-v1 (cut off at 500) pulls down the values of the best play.
    const int last_searched = moves - 1;
    const double root = history.root_values[last_searched];
    value = (history.to_play[last_searched] == player ? root : -root) *
            std::pow(discount, moves - position);
  }
  // The reward at index j was earned by the player who moved at j - 1.
  const int last = std::min(bootstrap, moves);
  for (int j = position + 1; j <= last; ++j) {
    const double reward = history.rewards[j];
    value += (history.to_play[j - 1] == player ? reward : -reward) *
             std::pow(discount, j - position - 1);
  }
  return static_cast<float>(value);
}

float make_targets(const GameHistory& history, int position, const TargetParams& params,
                   std::mt19937_64& rng, std::span<std::int64_t> actions, std::span<float> values,
                   std::span<float> rewards, std::span<float> policies) {
  const int moves = history.num_moves();
  const int action_space = history.action_space_size;
  std::uniform_int_distribution<int> random_action(0, action_space - 1);
  for (int k = 0; k <= params.num_unroll_steps; ++k) {
    const int index = position + k;
    std::span<float> policy =
        policies.subspan(static_cast<std::size_t>(k) * action_space, action_space);
    if (index < moves) {
      values[k] = value_target(history, index, params.td_steps, params.discount);
      rewards[k] = history.rewards[index];
      const auto searched = history.policy(index);
      std::copy(searched.begin(), searched.end(), policy.begin());
      actions[k] = history.actions[index];
    } else {
      values[k] = 0.0f;
      rewards[k] = index == moves ? history.rewards[index] : 0.0f;
      std::fill(policy.begin(), policy.end(), 1.0f / static_cast<float>(action_space));
      actions[k] = index == moves ? history.actions[index] : random_action(rng);
    }
  }
  return static_cast<float>(std::min(params.num_unroll_steps, moves + 1 - position));
}

}  // namespace muzero
