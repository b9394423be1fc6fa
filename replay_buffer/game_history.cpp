#include "replay_buffer/game_history.h"

#include <stdexcept>

#include "games/lookahead_rewards.h"

namespace muzero {

GameHistory::GameHistory(int observation_size_, int action_space_size_,
                         std::span<const float> first_observation, int first_to_play)
    : observation_size(observation_size_), action_space_size(action_space_size_) {
  if (static_cast<int>(first_observation.size()) != observation_size) {
    throw std::invalid_argument("GameHistory: observation has the wrong size");
  }
  observations.assign(first_observation.begin(), first_observation.end());
  actions.push_back(0);
  rewards.push_back(0.0f);
  to_play.push_back(first_to_play);
}

std::span<const float> GameHistory::observation(int position) const {
  return std::span<const float>(observations)
      .subspan(static_cast<std::size_t>(position) * observation_size, observation_size);
}

std::span<const float> GameHistory::policy(int position) const {
  return std::span<const float>(child_visits)
      .subspan(static_cast<std::size_t>(position) * action_space_size, action_space_size);
}

void GameHistory::add_move(std::span<const float> visit_distribution, float root_value,
                           Action action, float reward, std::span<const float> next_observation,
                           int next_to_play) {
  if (static_cast<int>(visit_distribution.size()) != action_space_size ||
      static_cast<int>(next_observation.size()) != observation_size) {
    throw std::invalid_argument("GameHistory::add_move: wrong sizes");
  }
  child_visits.insert(child_visits.end(), visit_distribution.begin(), visit_distribution.end());
  root_values.push_back(root_value);
  actions.push_back(action);
  rewards.push_back(reward);
  observations.insert(observations.end(), next_observation.begin(), next_observation.end());
  to_play.push_back(next_to_play);
}

void GameHistory::add_lookahead_rewards(std::span<const float> position_rewards) {
  if (position_rewards.size() != lookahead_size(action_space_size) ||
      lookahead_rewards.size() != static_cast<std::size_t>(num_moves()) * position_rewards.size()) {
    throw std::invalid_argument("GameHistory::add_lookahead_rewards: wrong size or position");
  }
  lookahead_rewards.insert(lookahead_rewards.end(), position_rewards.begin(),
                           position_rewards.end());
}

std::span<const float> GameHistory::lookahead(int position) const {
  const std::size_t size = lookahead_size(action_space_size);
  if (lookahead_rewards.size() != static_cast<std::size_t>(num_moves()) * size) return {};
  return std::span<const float>(lookahead_rewards).subspan(position * size, size);
}

void GameHistory::add_move_observations(std::span<const float> rows,
                                        std::span<const std::uint8_t> known) {
  const std::size_t A = static_cast<std::size_t>(action_space_size);
  const std::size_t per_position = A * static_cast<std::size_t>(observation_size);
  const std::size_t moves = static_cast<std::size_t>(num_moves());
  if (rows.size() != per_position || known.size() != A ||
      move_observations.size() != moves * per_position ||
      move_observation_known.size() != moves * A) {
    throw std::invalid_argument("GameHistory::add_move_observations: wrong size or position");
  }
  move_observations.insert(move_observations.end(), rows.begin(), rows.end());
  move_observation_known.insert(move_observation_known.end(), known.begin(), known.end());
}

bool GameHistory::has_move_observations() const {
  const std::size_t A = static_cast<std::size_t>(action_space_size);
  const std::size_t moves = static_cast<std::size_t>(num_moves());
  return moves > 0 && move_observation_known.size() == moves * A &&
         move_observations.size() == moves * A * static_cast<std::size_t>(observation_size);
}

std::span<const float> GameHistory::move_observations_at(int position) const {
  const std::size_t size =
      static_cast<std::size_t>(action_space_size) * static_cast<std::size_t>(observation_size);
  return std::span<const float>(move_observations).subspan(position * size, size);
}

std::span<const std::uint8_t> GameHistory::move_observations_known_at(int position) const {
  const std::size_t A = static_cast<std::size_t>(action_space_size);
  return std::span<const std::uint8_t>(move_observation_known).subspan(position * A, A);
}

void GameHistory::add_search_facts(std::span<const Action> legal, std::int64_t weights_step) {
  const std::size_t A = static_cast<std::size_t>(action_space_size);
  if (legal_masks.size() != static_cast<std::size_t>(num_moves()) * A ||
      target_steps.size() != static_cast<std::size_t>(num_moves())) {
    throw std::invalid_argument("GameHistory::add_search_facts: not at the next position");
  }
  const std::size_t start = legal_masks.size();
  legal_masks.resize(start + A, 0);
  for (Action a : legal) {
    if (a < 0 || static_cast<std::size_t>(a) >= A) {
      throw std::invalid_argument("GameHistory::add_search_facts: action out of range");
    }
    legal_masks[start + a] = 1;
  }
  target_steps.push_back(weights_step);
}

std::vector<Action> GameHistory::legal_actions(int position) const {
  const std::size_t A = static_cast<std::size_t>(action_space_size);
  const std::size_t start = static_cast<std::size_t>(position) * A;
  const bool masked = legal_masks.size() == static_cast<std::size_t>(num_moves()) * A;
  std::vector<Action> legal;
  for (std::size_t a = 0; a < A; ++a) {
    // Unmasked, the move played was legal too, whatever weight the policy gave it.
    if (masked
            ? legal_masks[start + a] != 0
            : child_visits[start + a] > 0.0f || actions[position + 1] == static_cast<Action>(a)) {
      legal.push_back(static_cast<Action>(a));
    }
  }
  return legal;
}

std::int64_t GameHistory::target_step(int position) const {
  return target_steps.size() == static_cast<std::size_t>(num_moves()) ? target_steps[position] : -1;
}

}  // namespace muzero
