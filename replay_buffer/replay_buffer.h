#pragma once
// Holds the most recent games and samples training positions from them, optionally with
// prioritized experience replay (PER) as in muzero-general: a game is drawn with probability
// proportional to its priority (the max of its positions'), then a position within it likewise.
#include <cstdint>
#include <deque>
#include <random>
#include <span>
#include <vector>

#include "replay_buffer/batch.h"
#include "replay_buffer/game_history.h"
#include "replay_buffer/targets.h"

namespace muzero {

struct ReplayParams {
  int window_size = 500;  // games kept; the oldest is evicted first
  bool prioritized = true;
  double priority_alpha = 0.5;
  TargetParams targets;
  // Batches carry next_observations (set when training.consistency_loss_weight > 0).
  bool next_observations = false;
  // Batches carry lookahead targets (set when training.lookahead_reward_loss_weight > 0).
  bool lookahead_rewards = false;
  // replay_buffer.augment_symmetries: each sample is relabelled by one of `symmetries` or left
  // as played, all equally likely. The replay process takes the symmetries from the game.
  bool augment_symmetries = false;
  std::vector<Symmetry> symmetries;
};

class ReplayBuffer {
 public:
  explicit ReplayBuffer(ReplayParams params);

  // Stores a game; its initial priorities are |root value - value target| ^ alpha.
  GameId add(GameHistory game);
  // Samples `batch_size` positions with replacement. Requires at least one stored game.
  Batch sample(int batch_size, std::mt19937_64& rng) const;
  // New priorities from training: errors[i * (K+1) + k] = |predicted - target value| at
  // step k of sample i. Positions of games that have been evicted since are skipped.
  void update_priorities(std::span<const SampledPosition> positions, std::span<const float> errors,
                         int num_unroll_steps);

  int num_games() const { return static_cast<int>(games_.size()); }
  std::int64_t num_positions() const { return num_positions_; }
  std::int64_t total_games_added() const { return static_cast<std::int64_t>(next_id_); }
  const GameHistory* find(GameId id) const;

 private:
  GameHistory* find_mutable(GameId id);
  float priority_of(float error) const;

  ReplayParams params_;
  std::deque<GameHistory> games_;
  GameId first_id_ = 0;  // id of games_.front()
  GameId next_id_ = 0;
  std::int64_t num_positions_ = 0;
};

}  // namespace muzero
