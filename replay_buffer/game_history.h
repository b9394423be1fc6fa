#pragma once
// The record of one finished (or truncated) game, as self-play hands it to the replay buffer.
// Index i runs over positions 0..num_moves(); the move made at position i leads to i + 1.
// Layout follows muzero-general: actions[0] and rewards[0] are placeholders (0), and
// actions[i], rewards[i] for i >= 1 are the move that led to position i and its reward.
#include <cstdint>
#include <span>
#include <vector>

#include "games/game.h"

namespace muzero {

struct GameHistory {
  int observation_size = 0;
  int action_space_size = 0;
  std::vector<float> observations;  // (num_moves + 1) x observation_size
  std::vector<Action> actions;      // num_moves + 1
  std::vector<float> rewards;       // num_moves + 1, reward for the player who moved
  std::vector<int> to_play;         // num_moves + 1, player to move at each position
  std::vector<float> root_values;   // num_moves, search value at each searched position
  std::vector<float> child_visits;  // num_moves x action_space_size, visit distribution
  std::vector<float> priorities;    // num_moves, set by the replay buffer
  // Only with training.lookahead_reward_loss_weight > 0: num_moves x lookahead_size(A), the
  // rules' rewards for every move and reply at each searched position (games/lookahead_rewards.h);
  // empty otherwise.
  std::vector<float> lookahead_rewards;
  // Only with training.all_moves_consistency_loss_weight > 0: num_moves x action_space_size x
  // observation_size, the observation each move leads to at each searched position (the real
  // game stepped once from a copy), and num_moves x action_space_size, 1 where that observation
  // is known: the move was legal and did not end the game. Empty otherwise.
  std::vector<float> move_observations;
  std::vector<std::uint8_t> move_observation_known;
  // num_moves x action_space_size, 1 where the move was legal: the root of a search that
  // reanalyses the position (replay_buffer/reanalyse_work.h). Empty in records made before it
  // existed; then the actions the recorded policy gave weight to stand in for them.
  std::vector<std::uint8_t> legal_masks;
  // num_moves: the training step of the weights whose search made child_visits and root_values
  // at each position (self-play's or a reanalyse's); -1 where unknown. A reanalysed target
  // replaces only an older one. Empty in records made before it existed (all unknown).
  std::vector<std::int64_t> target_steps;
  float game_priority = 0.0f;
  // Cut off by a time limit (the game's own, or self_play.max_moves) rather than finished: the
  // last position is not worth 0 (see value_target).
  bool truncated = false;

  GameHistory() = default;
  GameHistory(int observation_size, int action_space_size, std::span<const float> first_observation,
              int first_to_play);

  int num_moves() const { return static_cast<int>(root_values.size()); }
  std::span<const float> observation(int position) const;
  std::span<const float> policy(int position) const;

  // Records the search result at the current position and the move that was then played.
  void add_move(std::span<const float> visit_distribution, float root_value, Action action,
                float reward, std::span<const float> next_observation, int next_to_play);
  // Records the lookahead rewards of the position the next add_move will leave.
  void add_lookahead_rewards(std::span<const float> position_rewards);
  std::span<const float> lookahead(int position) const;  // empty when none were recorded
  // Records the observations every move leads to from the position the next add_move will leave:
  // A x observation_size, and A flags (1: known).
  void add_move_observations(std::span<const float> rows, std::span<const std::uint8_t> known);
  bool has_move_observations() const;
  std::span<const float> move_observations_at(int position) const;  // A x observation_size
  std::span<const std::uint8_t> move_observations_known_at(int position) const;  // A
  // Records the legal moves of the position the next add_move will leave, and the training step
  // of the weights that searched it.
  void add_search_facts(std::span<const Action> legal, std::int64_t weights_step);
  // The legal moves at `position`: from legal_masks, or, without them, the moves the recorded
  // policy gives weight to.
  std::vector<Action> legal_actions(int position) const;
  std::int64_t target_step(int position) const;  // -1 when unknown
};

}  // namespace muzero
