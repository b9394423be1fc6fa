#pragma once
// Holds the most recent games and samples training positions from them, optionally with
// prioritized experience replay (PER) as in muzero-general: a game is drawn with probability
// proportional to its priority (the max of its positions'), then a position within it likewise.
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "replay_buffer/batch.h"
#include "replay_buffer/game_history.h"
#include "replay_buffer/reanalyse_work.h"
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
  // Batches carry move_observations (set when training.all_moves_consistency_loss_weight > 0).
  bool move_observations = false;
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
  // Samples `batch_size` positions with replacement. Requires at least one stored game. The
  // first samples are the `chosen` positions (stored ones: reanalysed, fresh targets), weighted
  // as if drawn; the rest are drawn.
  Batch sample(int batch_size, std::mt19937_64& rng,
               std::span<const SampledPosition> chosen = {}) const;
  // `num_windows` windows for reanalyse, their first positions drawn as samples are, each the
  // up to K+1 positions a sample from there unrolls over. Empty when no game is stored.
  ReanalyseWork reanalyse_work(int num_windows, std::mt19937_64& rng) const;
  // Takes reanalysed targets where they are newer than the stored ones (and the game is still
  // stored); returns the windows' first positions that now hold targets of this step.
  std::vector<SampledPosition> apply_reanalysed(const ReanalysedTargets& targets);
  // Why targets from a peer cannot be taken (sizes, a policy that does not sum to 1 or gives
  // weight to a move that was not legal at a stored position), or nullopt.
  std::optional<std::string> reanalysed_targets_problem(const ReanalysedTargets& targets) const;
  // New priorities from training: errors[i * (K+1) + k] = |predicted - target value| at
  // step k of sample i. Positions of games that have been evicted since are skipped.
  void update_priorities(std::span<const SampledPosition> positions, std::span<const float> errors,
                         int num_unroll_steps);

  int num_games() const { return static_cast<int>(games_.size()); }
  std::int64_t num_positions() const { return num_positions_; }
  std::int64_t total_games_added() const { return static_cast<std::int64_t>(next_id_); }
  const GameHistory* find(GameId id) const;

 private:
  struct Draw {
    int game = 0, position = 0;
    double probability = 1.0;
  };
  Draw draw(std::span<const double> cumulative, std::mt19937_64& rng,
            std::vector<double>& position_cumulative) const;
  double probability_of(int game, int position, double total_priority) const;
  std::vector<double> game_cumulative() const;
  GameHistory* find_mutable(GameId id);
  float priority_of(float error) const;

  ReplayParams params_;
  std::deque<GameHistory> games_;
  GameId first_id_ = 0;  // id of games_.front()
  GameId next_id_ = 0;
  std::int64_t num_positions_ = 0;
};

}  // namespace muzero
