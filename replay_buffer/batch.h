#pragma once
// A sampled training batch: B positions, each with K+1 unrolled targets. Flat row-major arrays
// so the trainer can wrap them in tensors without copying element by element.
#include <cstdint>
#include <vector>

namespace muzero {

using GameId = std::uint64_t;

struct SampledPosition {
  GameId game_id = 0;
  int position = 0;
};

struct Batch {
  int batch_size = 0;
  int num_unroll_steps = 0;  // K
  int observation_size = 0;
  int action_space_size = 0;           // A
  std::vector<float> observations;     // B x observation_size
  std::vector<std::int64_t> actions;   // B x (K+1); column 0 is unused
  std::vector<float> target_values;    // B x (K+1)
  std::vector<float> target_rewards;   // B x (K+1); column 0 is unused
  std::vector<float> target_policies;  // B x (K+1) x A
  std::vector<float> gradient_scales;  // B
  // B, or empty (every step known): first_unknown_step of each sample. Steps k >= it train no
  // value or policy, and steps k > it no reward (past the cut-off of a truncated game).
  std::vector<std::int32_t> first_unknown_steps;
  std::vector<float> weights;              // B, importance-sampling weights, max 1
  std::vector<SampledPosition> positions;  // B, for priority updates
  // B: the training step of the weights whose search made each sample's first policy and value
  // targets (-1: unknown), for the target age the trainer reports.
  std::vector<std::int64_t> target_steps;
  int fresh_samples = 0;  // the first fresh_samples samples start at freshly reanalysed positions
  // Only with replay_buffer.use_last_model_value: target_values hold the rewards alone, and the
  // trainer adds bootstrap_scales[i] * (its network's value of bootstrap_observations[i]) to
  // target_values[bootstrap_rows[i]]. N entries, one per target that has a bootstrap.
  std::vector<std::int32_t> bootstrap_rows;   // N indices into B x (K+1)
  std::vector<float> bootstrap_scales;        // N
  std::vector<float> bootstrap_observations;  // N x observation_size
  // Only with training.consistency_loss_weight > 0: the observation at each unrolled step
  // (position + k, k = 1..K), whose representation the dynamics' hidden state should match;
  // zeros with mask 0 past the game's last position.
  std::vector<float> next_observations;      // B x K x observation_size
  std::vector<float> next_observation_mask;  // B x K, 1 or 0
  // Only with training.all_moves_consistency_loss_weight > 0: the observation every move leads
  // to from each sample's first position (GameHistory::move_observations), whose representation
  // the dynamics' state after that move should match; zeros with mask 0 where it is not known.
  std::vector<float> move_observations;      // B x A x observation_size
  std::vector<float> move_observation_mask;  // B x A, 1 or 0
  // Only with training.lookahead_reward_loss_weight > 0: from each sample's first position, a
  // move and a reply to it, not necessarily the ones played (make_lookahead_target), with the
  // rewards the rules give them; mask 0 where the game holds no lookahead rewards.
  std::vector<std::int64_t> lookahead_actions;  // B x 2: move, reply
  std::vector<float> lookahead_rewards;         // B x 2
  std::vector<float> lookahead_mask;            // B x 2, 1 or 0
};

}  // namespace muzero
