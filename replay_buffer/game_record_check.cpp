#include "replay_buffer/game_record_check.h"

#include <cmath>
#include <string>

#include "games/lookahead_rewards.h"

namespace muzero {
namespace {

// Visit distributions and improved policies sum to 1 up to float rounding.
constexpr double kPolicySumTolerance = 1e-3;

void require(bool ok, const std::string& what) {
  if (!ok) throw InvalidGameRecord("game record refused: " + what);
}

std::string at(std::size_t position) {
  return " at position " + std::to_string(position);
}

}  // namespace

void check_game_record(const GameHistory& record, const GameRecordRules& rules) {
  const std::size_t O = static_cast<std::size_t>(rules.game.observation_shape.size());
  const std::size_t A = static_cast<std::size_t>(rules.game.action_space_size);
  require(record.observation_size == static_cast<int>(O),
          "observations of " + std::to_string(record.observation_size) + " values, but " +
              rules.game.name + "'s have " + std::to_string(O));
  require(record.action_space_size == static_cast<int>(A),
          std::to_string(record.action_space_size) + " actions, but " + rules.game.name + " has " +
              std::to_string(A));
  const std::size_t moves = record.root_values.size();
  require(moves >= 1, "no moves");
  require(moves <= static_cast<std::size_t>(rules.max_moves),
          std::to_string(moves) + " moves, more than the run's max_moves " +
              std::to_string(rules.max_moves));
  require(record.actions.size() == moves + 1 && record.rewards.size() == moves + 1 &&
              record.to_play.size() == moves + 1 && record.observations.size() == (moves + 1) * O &&
              record.child_visits.size() == moves * A,
          "its arrays disagree in length");
  require(record.actions[0] == 0 && record.rewards[0] == 0.0f,
          "the first position has a move that led to it");
  for (std::size_t i = 0; i <= moves; ++i) {
    require(record.to_play[i] >= 0 && record.to_play[i] < rules.game.num_players,
            "player " + std::to_string(record.to_play[i]) + at(i) + ", but " + rules.game.name +
                " has " + std::to_string(rules.game.num_players) + " players");
    require(std::isfinite(record.rewards[i]), "a reward that is not a finite number" + at(i));
    for (std::size_t k = 0; k < O; ++k) {
      require(std::isfinite(record.observations[i * O + k]),
              "an observation that is not finite" + at(i));
    }
    if (i == 0) continue;
    require(record.actions[i] >= 0 && static_cast<std::size_t>(record.actions[i]) < A,
            "action " + std::to_string(record.actions[i]) + at(i) + " is out of range");
  }
  for (std::size_t i = 0; i < moves; ++i) {
    require(std::isfinite(record.root_values[i]), "a root value that is not finite" + at(i));
    double sum = 0;
    for (std::size_t a = 0; a < A; ++a) {
      const float p = record.child_visits[i * A + a];
      require(std::isfinite(p) && p >= 0.0f,
              "a policy entry that is negative or not finite" + at(i));
      sum += p;
    }
    require(std::abs(sum - 1.0) <= kPolicySumTolerance,
            "a policy that sums to " + std::to_string(sum) + at(i) + ", not 1");
  }
  if (!record.lookahead_rewards.empty()) {
    require(record.lookahead_rewards.size() == moves * lookahead_size(static_cast<int>(A)),
            "lookahead rewards for the wrong number of moves or actions");
    for (float v : record.lookahead_rewards) {
      require(!std::isinf(v), "an infinite lookahead reward");  // NaN marks an illegal move
    }
  }
  if (!record.move_observation_known.empty() || !record.move_observations.empty()) {
    require(record.move_observation_known.size() == moves * A &&
                record.move_observations.size() == moves * A * O,
            "observations after every move for the wrong number of moves or actions");
    for (std::size_t i = 0; i < moves * A; ++i) {
      require(record.move_observation_known[i] <= 1, "a move observation flag other than 0 or 1");
      for (std::size_t k = 0; k < O; ++k) {
        require(std::isfinite(record.move_observations[i * O + k]),
                "an observation after a move that is not finite" + at(i / A));
      }
    }
  }
}

}  // namespace muzero
