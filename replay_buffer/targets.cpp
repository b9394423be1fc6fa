#include "replay_buffer/targets.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "games/lookahead_rewards.h"

namespace muzero {

ValueBootstrap value_bootstrap(const GameHistory& history, int position, int td_steps,
                               double discount) {
  const int moves = history.num_moves();
  const int bootstrap = position + td_steps;
  if (position >= moves || (bootstrap >= moves && !history.truncated)) return {};
  const int index = std::min(bootstrap, moves);
  const double sign = history.to_play[index] == history.to_play[position] ? 1.0 : -1.0;
  return {index, sign * std::pow(discount, index - position)};
}

double value_target_rewards(const GameHistory& history, int position, int td_steps,
                            double discount) {
  const int moves = history.num_moves();
  if (position >= moves) return 0.0;
  const int player = history.to_play[position];
  double value = 0.0;
  // The reward at index j was earned by the player who moved at j - 1.
  const int last = std::min(position + td_steps, moves);
  for (int j = position + 1; j <= last; ++j) {
    const double reward = history.rewards[j];
    value += (history.to_play[j - 1] == player ? reward : -reward) *
             std::pow(discount, j - position - 1);
  }
  return value;
}

float value_target(const GameHistory& history, int position, int td_steps, double discount) {
  const int moves = history.num_moves();
  if (position >= moves) return 0.0f;
  double value = value_target_rewards(history, position, td_steps, discount);
  const ValueBootstrap bootstrap = value_bootstrap(history, position, td_steps, discount);
  if (bootstrap.index >= 0 && bootstrap.index < moves) {
    value += bootstrap.scale * history.root_values[bootstrap.index];
  } else if (bootstrap.index == moves) {
    // The cut-off position was never searched; the last search's value stands in for it.
    // Counting it as 0 would teach that positions late in long games are bad, which in
    // CartPole-v1 (cut off at 500) pulls down the values of the best play.
    const int last_searched = moves - 1;
    const double root = history.root_values[last_searched];
    const bool same_player = history.to_play[last_searched] == history.to_play[position];
    value += (same_player ? root : -root) * std::pow(discount, moves - position);
  }
  return static_cast<float>(value);
}

float make_targets(const GameHistory& history, int position, const TargetParams& params,
                   std::mt19937_64& rng, std::span<std::int64_t> actions, std::span<float> values,
                   std::span<float> rewards, std::span<float> policies,
                   std::span<ValueBootstrap> bootstraps) {
  if (params.use_last_model_value &&
      bootstraps.size() != static_cast<std::size_t>(params.num_unroll_steps + 1)) {
    throw std::invalid_argument("make_targets: use_last_model_value needs K+1 bootstraps");
  }
  const int moves = history.num_moves();
  const int action_space = history.action_space_size;
  std::uniform_int_distribution<int> random_action(0, action_space - 1);
  const double mix = params.root_value_mix;
  for (int k = 0; k <= params.num_unroll_steps; ++k) {
    const int index = position + k;
    std::span<float> policy =
        policies.subspan(static_cast<std::size_t>(k) * action_space, action_space);
    if (params.use_last_model_value) {
      bootstraps[k] = value_bootstrap(history, index, params.td_steps, params.discount);
      bootstraps[k].scale *= 1.0 - mix;
    }
    if (index < moves) {
      const double n_step =
          params.use_last_model_value
              ? value_target_rewards(history, index, params.td_steps, params.discount)
              : value_target(history, index, params.td_steps, params.discount);
      values[k] = static_cast<float>((1.0 - mix) * n_step + mix * history.root_values[index]);
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

int first_unknown_step(const GameHistory& history, int position, int num_unroll_steps) {
  const int cutoff = history.num_moves() - position;
  return history.truncated && cutoff <= num_unroll_steps ? cutoff : num_unroll_steps + 1;
}

namespace {

// One of the actions whose rewards[a] is not NaN: with probability 1/2 (when there are any) one
// of those whose reward is not 0, otherwise any, uniformly. -1 when none is legal.
int draw_lookahead_action(std::span<const float> rewards, std::mt19937_64& rng) {
  std::vector<int> legal, rewarded;
  for (int a = 0; a < static_cast<int>(rewards.size()); ++a) {
    if (std::isnan(rewards[a])) continue;
    legal.push_back(a);
    if (rewards[a] != 0.0f) rewarded.push_back(a);
  }
  if (legal.empty()) return -1;
  const bool prefer_rewarded = std::bernoulli_distribution(0.5)(rng) && !rewarded.empty();
  const std::vector<int>& pool = prefer_rewarded ? rewarded : legal;
  return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
}

}  // namespace

LookaheadTarget make_lookahead_target(const GameHistory& history, int position,
                                      std::mt19937_64& rng) {
  const std::span<const float> lookahead = history.lookahead(position);
  if (lookahead.empty()) return {};
  const std::size_t A = history.action_space_size;
  const int move = draw_lookahead_action(lookahead.first(A), rng);
  if (move < 0) return {};
  const std::span<const float> replies = lookahead.subspan(A + move * A, A);
  const int reply = draw_lookahead_action(replies, rng);
  if (reply < 0) return {};
  return {move, reply, lookahead[move], replies[reply], 1.0f};
}

}  // namespace muzero
