#include "replay_buffer/replay_buffer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "games/symmetry.h"

namespace muzero {
namespace {

// A priority of exactly 0 would make a position unreachable and its weight infinite.
constexpr float kMinPriority = 1e-6f;

// Index drawn with probability weights[i] / sum(weights).
int draw_proportional(std::span<const double> cumulative, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0.0, cumulative.back());
  const double u = uniform(rng);
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  if (it == cumulative.end()) --it;
  return static_cast<int>(it - cumulative.begin());
}

// Relabels sample b of the batch in place: its observation, unrolled actions, policy targets,
// lookahead actions, next observations and the observations each move leads to. Values and
// rewards are the same under a symmetry, and so is a bootstrap observation's value, so those stay
// as played.
void relabel_sample(const Symmetry& symmetry, Batch& batch, int b) {
  const std::size_t K = batch.num_unroll_steps;
  const std::size_t A = batch.action_space_size;
  const std::size_t O = batch.observation_size;
  relabel_observation_in_place(symmetry, std::span(batch.observations).subspan(b * O, O));
  const std::size_t row = b * (K + 1);
  for (std::size_t k = 1; k <= K; ++k) {
    batch.actions[row + k] = symmetry.action_image[batch.actions[row + k]];
  }
  std::vector<float> policy(A);
  for (std::size_t k = 0; k <= K; ++k) {
    float* target = batch.target_policies.data() + (row + k) * A;
    std::copy(target, target + A, policy.begin());
    for (std::size_t a = 0; a < A; ++a) target[symmetry.action_image[a]] = policy[a];
  }
  if (!batch.lookahead_actions.empty()) {
    for (std::size_t i = 2 * static_cast<std::size_t>(b); i < 2 * static_cast<std::size_t>(b) + 2;
         ++i) {
      batch.lookahead_actions[i] = symmetry.action_image[batch.lookahead_actions[i]];
    }
  }
  if (!batch.next_observation_mask.empty()) {
    for (std::size_t k = 0; k < K; ++k) {
      relabel_observation_in_place(symmetry,
                                   std::span(batch.next_observations).subspan((b * K + k) * O, O));
    }
  }
  if (!batch.move_observation_mask.empty()) {
    // Move a's observation becomes that of move image(a), seen through the symmetry.
    float* rows = batch.move_observations.data() + b * A * O;
    float* mask = batch.move_observation_mask.data() + b * A;
    const std::vector<float> rows_played(rows, rows + A * O), mask_played(mask, mask + A);
    for (std::size_t a = 0; a < A; ++a) {
      const std::size_t image = symmetry.action_image[a];
      std::copy(rows_played.begin() + a * O, rows_played.begin() + (a + 1) * O, rows + image * O);
      relabel_observation_in_place(symmetry, std::span(rows + image * O, O));
      mask[image] = mask_played[a];
    }
  }
}

}  // namespace

ReplayBuffer::ReplayBuffer(ReplayParams params) : params_(std::move(params)) {
  if (params_.window_size < 1) throw std::invalid_argument("replay window must hold a game");
  if (params_.augment_symmetries && params_.symmetries.empty()) {
    throw std::invalid_argument("augment_symmetries needs a game with symmetries");
  }
}

float ReplayBuffer::priority_of(float error) const {
  return std::max(kMinPriority,
                  static_cast<float>(std::pow(std::abs(error), params_.priority_alpha)));
}

GameId ReplayBuffer::add(GameHistory game) {
  if (game.num_moves() < 1) throw std::invalid_argument("ReplayBuffer::add: game has no moves");
  // Batches are shaped after the stored games: one of another shape would overrun them. Records
  // from outside are checked against the run first (check_game_record); this is the last guard.
  if (!games_.empty() && (game.observation_size != games_.front().observation_size ||
                          game.action_space_size != games_.front().action_space_size)) {
    throw std::invalid_argument("ReplayBuffer::add: a game of another shape than the stored ones");
  }
  game.priorities.resize(game.num_moves());
  for (int i = 0; i < game.num_moves(); ++i) {
    const float target = value_target(game, i, params_.targets.td_steps, params_.targets.discount);
    game.priorities[i] = priority_of(game.root_values[i] - target);
  }
  game.game_priority = *std::max_element(game.priorities.begin(), game.priorities.end());
  num_positions_ += game.num_moves();
  games_.push_back(std::move(game));
  while (static_cast<int>(games_.size()) > params_.window_size) {
    num_positions_ -= games_.front().num_moves();
    games_.pop_front();
    ++first_id_;
  }
  return next_id_++;
}

const GameHistory* ReplayBuffer::find(GameId id) const {
  if (id < first_id_ || id >= next_id_) return nullptr;
  return &games_[id - first_id_];
}

GameHistory* ReplayBuffer::find_mutable(GameId id) {
  return const_cast<GameHistory*>(static_cast<const ReplayBuffer*>(this)->find(id));
}

ReplayBuffer::Draw ReplayBuffer::draw(std::span<const double> cumulative, std::mt19937_64& rng,
                                      std::vector<double>& position_cumulative) const {
  const int g = draw_proportional(cumulative, rng);
  const GameHistory& game = games_[g];
  if (!params_.prioritized) {
    return {g, std::uniform_int_distribution<int>(0, game.num_moves() - 1)(rng), 1.0};
  }
  position_cumulative.resize(game.num_moves());
  double sum = 0.0;
  for (int i = 0; i < game.num_moves(); ++i) position_cumulative[i] = sum += game.priorities[i];
  const int position = draw_proportional(position_cumulative, rng);
  return {g, position,
          (game.game_priority / cumulative.back()) * (game.priorities[position] / sum)};
}

double ReplayBuffer::probability_of(int g, int position, double total) const {
  if (!params_.prioritized) return 1.0;
  const GameHistory& game = games_[g];
  double sum = 0.0;
  for (float p : game.priorities) sum += p;
  return (game.game_priority / total) * (game.priorities[position] / sum);
}

std::vector<double> ReplayBuffer::game_cumulative() const {
  std::vector<double> cumulative(games_.size());
  double total = 0.0;
  for (std::size_t g = 0; g < games_.size(); ++g) {
    total += params_.prioritized ? games_[g].game_priority : 1.0;
    cumulative[g] = total;
  }
  return cumulative;
}

Batch ReplayBuffer::sample(int batch_size, std::mt19937_64& rng,
                           std::span<const SampledPosition> chosen) const {
  if (games_.empty()) throw std::logic_error("ReplayBuffer::sample on an empty buffer");
  const GameHistory& any = games_.front();
  const int K = params_.targets.num_unroll_steps;
  const int A = any.action_space_size;
  Batch batch;
  batch.batch_size = batch_size;
  batch.num_unroll_steps = K;
  batch.observation_size = any.observation_size;
  batch.action_space_size = A;
  batch.observations.resize(static_cast<std::size_t>(batch_size) * any.observation_size);
  batch.actions.resize(static_cast<std::size_t>(batch_size) * (K + 1));
  batch.target_values.resize(batch.actions.size());
  batch.target_rewards.resize(batch.actions.size());
  batch.target_policies.resize(batch.actions.size() * A);
  batch.gradient_scales.resize(batch_size);
  batch.first_unknown_steps.resize(batch_size);
  batch.weights.resize(batch_size);
  batch.positions.resize(batch_size);
  if (params_.next_observations) {
    batch.next_observations.assign(static_cast<std::size_t>(batch_size) * K * any.observation_size,
                                   0.0f);
    batch.next_observation_mask.assign(static_cast<std::size_t>(batch_size) * K, 0.0f);
  }
  if (params_.move_observations) {
    batch.move_observations.assign(static_cast<std::size_t>(batch_size) * A * any.observation_size,
                                   0.0f);
    batch.move_observation_mask.assign(static_cast<std::size_t>(batch_size) * A, 0.0f);
  }
  if (params_.lookahead_rewards) {
    batch.lookahead_actions.assign(2 * static_cast<std::size_t>(batch_size), 0);
    batch.lookahead_rewards.assign(batch.lookahead_actions.size(), 0.0f);
    batch.lookahead_mask.assign(batch.lookahead_actions.size(), 0.0f);
  }

  if (chosen.size() > static_cast<std::size_t>(batch_size)) {
    throw std::invalid_argument("ReplayBuffer::sample: more chosen positions than samples");
  }
  batch.target_steps.resize(batch_size);
  batch.fresh_samples = static_cast<int>(chosen.size());
  const std::vector<double> cumulative = game_cumulative();
  std::vector<double> position_cumulative;
  std::vector<ValueBootstrap> bootstraps(params_.targets.use_last_model_value ? K + 1 : 0);
  for (int b = 0; b < batch_size; ++b) {
    int g, position;
    double probability;
    if (b < static_cast<int>(chosen.size())) {
      const SampledPosition& at = chosen[b];
      if (!find(at.game_id) || at.position < 0 || at.position >= find(at.game_id)->num_moves()) {
        throw std::invalid_argument("ReplayBuffer::sample: a chosen position that is not stored");
      }
      g = static_cast<int>(at.game_id - first_id_);
      position = at.position;
      probability = probability_of(g, position, cumulative.back());
    } else {
      const Draw drawn = draw(cumulative, rng, position_cumulative);
      g = drawn.game;
      position = drawn.position;
      probability = drawn.probability;
    }
    const GameHistory& game = games_[g];
    batch.target_steps[b] = game.target_step(position);
    batch.weights[b] =
        static_cast<float>(1.0 / (static_cast<double>(num_positions_) * probability));
    batch.positions[b] = {first_id_ + static_cast<GameId>(g), position};
    const auto obs = game.observation(position);
    std::copy(obs.begin(), obs.end(), batch.observations.begin() + b * game.observation_size);
    const std::size_t row = static_cast<std::size_t>(b) * (K + 1);
    batch.gradient_scales[b] = make_targets(
        game, position, params_.targets, rng, std::span(batch.actions).subspan(row, K + 1),
        std::span(batch.target_values).subspan(row, K + 1),
        std::span(batch.target_rewards).subspan(row, K + 1),
        std::span(batch.target_policies).subspan(row * A, (K + 1) * A), bootstraps);
    batch.first_unknown_steps[b] = first_unknown_step(game, position, K);
    for (int k = 0; k < static_cast<int>(bootstraps.size()); ++k) {
      if (bootstraps[k].index < 0) continue;
      batch.bootstrap_rows.push_back(static_cast<std::int32_t>(row + k));
      batch.bootstrap_scales.push_back(static_cast<float>(bootstraps[k].scale));
      const auto seen = game.observation(bootstraps[k].index);
      batch.bootstrap_observations.insert(batch.bootstrap_observations.end(), seen.begin(),
                                          seen.end());
    }
    if (params_.next_observations) {
      for (int k = 1; k <= K && position + k <= game.num_moves(); ++k) {
        const auto next = game.observation(position + k);
        const std::size_t step = static_cast<std::size_t>(b) * K + (k - 1);
        std::copy(next.begin(), next.end(),
                  batch.next_observations.begin() + step * game.observation_size);
        batch.next_observation_mask[step] = 1.0f;
      }
    }
    if (params_.move_observations && game.has_move_observations()) {
      const auto rows = game.move_observations_at(position);
      const auto known = game.move_observations_known_at(position);
      const std::size_t first = static_cast<std::size_t>(b) * A;
      std::copy(rows.begin(), rows.end(),
                batch.move_observations.begin() + first * game.observation_size);
      for (int a = 0; a < A; ++a) batch.move_observation_mask[first + a] = known[a] ? 1.0f : 0.0f;
    }
    if (params_.lookahead_rewards) {
      const LookaheadTarget target = make_lookahead_target(game, position, rng);
      batch.lookahead_actions[2 * b] = target.move;
      batch.lookahead_actions[2 * b + 1] = target.reply;
      batch.lookahead_rewards[2 * b] = target.move_reward;
      batch.lookahead_rewards[2 * b + 1] = target.reply_reward;
      batch.lookahead_mask[2 * b] = batch.lookahead_mask[2 * b + 1] = target.mask;
    }
    if (params_.augment_symmetries) {
      const std::size_t s = std::uniform_int_distribution<std::size_t>(
          0, params_.symmetries.size())(rng);  // 0: as played
      if (s > 0) relabel_sample(params_.symmetries[s - 1], batch, b);
    }
  }
  const float max_weight = *std::max_element(batch.weights.begin(), batch.weights.end());
  for (float& w : batch.weights) w /= max_weight;
  return batch;
}

void ReplayBuffer::update_priorities(std::span<const SampledPosition> positions,
                                     std::span<const float> errors, int num_unroll_steps) {
  if (errors.size() != positions.size() * (num_unroll_steps + 1)) {
    throw std::invalid_argument("update_priorities: errors must be B x (K+1)");
  }
  for (std::size_t b = 0; b < positions.size(); ++b) {
    GameHistory* game = find_mutable(positions[b].game_id);
    if (game == nullptr || positions[b].position < 0) continue;
    for (int k = 0; k <= num_unroll_steps; ++k) {
      const std::int64_t index = std::int64_t{positions[b].position} + k;
      if (index >= game->num_moves()) break;
      game->priorities[index] = priority_of(errors[b * (num_unroll_steps + 1) + k]);
    }
    game->game_priority = *std::max_element(game->priorities.begin(), game->priorities.end());
  }
}

ReanalyseWork ReplayBuffer::reanalyse_work(int num_windows, std::mt19937_64& rng) const {
  ReanalyseWork work;
  if (games_.empty()) return work;
  const int K = params_.targets.num_unroll_steps;
  const std::size_t A = static_cast<std::size_t>(games_.front().action_space_size);
  work.observation_size = games_.front().observation_size;
  work.action_space_size = static_cast<int>(A);
  const std::vector<double> cumulative = game_cumulative();
  std::vector<double> position_cumulative;
  for (int w = 0; w < num_windows; ++w) {
    const Draw drawn = draw(cumulative, rng, position_cumulative);
    const GameHistory& game = games_[drawn.game];
    const int count = std::min(K + 1, game.num_moves() - drawn.position);
    work.windows.push_back({first_id_ + static_cast<GameId>(drawn.game), drawn.position, count});
    for (int p = drawn.position; p < drawn.position + count; ++p) {
      const auto observation = game.observation(p);
      work.observations.insert(work.observations.end(), observation.begin(), observation.end());
      work.to_play.push_back(game.to_play[p]);
      const std::size_t start = work.legal_masks.size();
      work.legal_masks.resize(start + A, 0);
      for (Action a : game.legal_actions(p)) work.legal_masks[start + a] = 1;
    }
  }
  return work;
}

std::optional<std::string> ReplayBuffer::reanalysed_targets_problem(
    const ReanalysedTargets& targets) const {
  if (games_.empty()) return std::nullopt;
  const std::size_t A = static_cast<std::size_t>(games_.front().action_space_size);
  std::size_t positions = 0;
  for (const ReanalyseWindow& window : targets.windows) {
    if (window.count < 1) return "an empty window";
    positions += static_cast<std::size_t>(window.count);
  }
  if (targets.policies.size() != positions * A || targets.root_values.size() != positions) {
    return "the targets do not match the windows in number";
  }
  std::size_t at = 0;
  for (const ReanalyseWindow& window : targets.windows) {
    const GameHistory* game = find(window.game_id);
    for (int i = 0; i < window.count; ++i, ++at) {
      const float* policy = targets.policies.data() + at * A;
      double sum = 0.0;
      for (std::size_t a = 0; a < A; ++a) sum += policy[a];
      if (std::abs(sum - 1.0) > 1e-3) return "a policy that does not sum to 1";
      if (!game || window.first + i >= game->num_moves() ||
          game->legal_masks.size() != static_cast<std::size_t>(game->num_moves()) * A) {
        continue;  // evicted meanwhile, or a record without legal moves: nothing to check against
      }
      const std::size_t row = static_cast<std::size_t>(window.first + i) * A;
      for (std::size_t a = 0; a < A; ++a) {
        if (policy[a] > 0.0f && game->legal_masks[row + a] == 0) {
          return "game " + std::to_string(window.game_id) + " position " +
                 std::to_string(window.first + i) + ": weight on move " + std::to_string(a) +
                 ", which was not legal";
        }
      }
    }
  }
  return std::nullopt;
}

std::vector<SampledPosition> ReplayBuffer::apply_reanalysed(const ReanalysedTargets& targets) {
  std::vector<SampledPosition> fresh;
  std::size_t offset = 0;  // index of the window's first position in targets
  for (const ReanalyseWindow& window : targets.windows) {
    const std::size_t at = offset;
    offset += static_cast<std::size_t>(window.count);
    GameHistory* game = find_mutable(window.game_id);
    if (!game || window.first < 0 || window.first + window.count > game->num_moves()) continue;
    const std::size_t A = static_cast<std::size_t>(game->action_space_size);
    if (targets.policies.size() < offset * A || targets.root_values.size() < offset) {
      throw std::invalid_argument("ReplayBuffer::apply_reanalysed: fewer targets than windows");
    }
    if (game->target_steps.size() != static_cast<std::size_t>(game->num_moves())) {
      game->target_steps.assign(game->num_moves(), -1);
    }
    for (int i = 0; i < window.count; ++i) {
      const int position = window.first + i;
      // Never replace a target with one from older weights (two workers, or a late reply).
      if (game->target_steps[position] >= targets.weights_step) continue;
      const float* policy = targets.policies.data() + (at + i) * A;
      std::copy(policy, policy + A, game->child_visits.begin() + position * A);
      game->root_values[position] = targets.root_values[at + i];
      game->target_steps[position] = targets.weights_step;
    }
    if (game->target_steps[window.first] == targets.weights_step) {
      fresh.push_back({window.game_id, window.first});
    }
  }
  return fresh;
}

}  // namespace muzero
