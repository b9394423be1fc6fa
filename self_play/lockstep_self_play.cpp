#include "self_play/lockstep_self_play.h"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "games/lookahead_rewards.h"
#include "games/move_observations.h"
#include "self_play/action_selection.h"

namespace muzero {

LockstepSelfPlay::LockstepSelfPlay(std::function<std::unique_ptr<Game>()> make_game,
                                   int num_parallel_games, SelfPlayParams params,
                                   std::uint64_t seed)
    : make_game_(std::move(make_game)), params_(params), seeder_(seed) {
  if (num_parallel_games < 1) throw std::invalid_argument("num_parallel_games must be >= 1");
  slots_.resize(num_parallel_games);
  for (Slot& slot : slots_) start_game(slot);
  const Game& game = *slots_.front().game;
  search_ =
      std::make_unique<BatchedSearch>(params_.search, game.num_players(), game.action_space_size());
}

void LockstepSelfPlay::start_game(Slot& slot) {
  if (!slot.game) slot.game = make_game_();
  // An opening that ends the game (a random move can lose a one-player game) starts a new game
  // with the next seed; after a few such tries the game starts without an opening.
  constexpr int kOpeningTries = 8;
  for (int tries = 0;; ++tries) {
    const std::uint64_t game_seed = seeder_();
    slot.rng.seed(seeder_());
    std::vector<float> observation = slot.game->reset(game_seed);
    int opening = 0;
    if (params_.random_opening_moves > 0 && tries < kOpeningTries) {
      opening = std::uniform_int_distribution<int>(0, params_.random_opening_moves)(slot.rng);
      opening = std::min(opening, params_.max_moves - 1);
    }
    bool ended = false;
    for (int move = 0; move < opening && !ended; ++move) {
      const std::vector<Action> legal = slot.game->legal_actions();
      const Action action =
          legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(slot.rng)];
      StepResult step = slot.game->step(action);
      ended = step.done;
      observation = std::move(step.observation);
    }
    if (ended) continue;
    slot.opening_moves = opening;
    slot.history = GameHistory(slot.game->observation_shape().size(),
                               slot.game->action_space_size(), observation, slot.game->to_play());
    return;
  }
}

std::vector<GameHistory> LockstepSelfPlay::step(Evaluator& evaluator, double temperature,
                                                std::int64_t weights_step) {
  std::vector<SearchRoot> roots(slots_.size());
  std::vector<std::vector<float>> observations(slots_.size());
  std::vector<std::mt19937_64> rngs(slots_.size());
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    observations[i] = slots_[i].game->observation();
    roots[i] = {observations[i], slots_[i].game->legal_actions(), slots_[i].game->to_play()};
    rngs[i] = slots_[i].rng;
  }
  const std::vector<SearchResult> results = search_->run(evaluator, roots, rngs);

  std::vector<GameHistory> finished;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    slot.rng = rngs[i];
    const int moves_played = slot.history.num_moves();
    const bool greedy =
        params_.temperature_threshold && moves_played >= *params_.temperature_threshold;
    const Action action = move_after_search(results[i], greedy ? 0.0 : temperature, slot.rng);
    if (params_.record_lookahead_rewards) {
      slot.history.add_lookahead_rewards(lookahead_rewards(*slot.game));
    }
    if (params_.record_move_observations) {
      const MoveObservations moves = move_observations(*slot.game);
      slot.history.add_move_observations(moves.observations, moves.known);
    }
    slot.history.add_search_facts(roots[i].legal_actions, weights_step);
    const StepResult step = slot.game->step(action);
    slot.history.add_move(results[i].policy_target, results[i].root_value, action, step.reward,
                          step.observation, slot.game->to_play());
    if (step.done || slot.opening_moves + slot.history.num_moves() >= params_.max_moves) {
      slot.history.truncated = step.done ? step.truncated : true;  // max_moves cuts it off
      finished.push_back(std::move(slot.history));
      start_game(slot);
    }
  }
  return finished;
}

}  // namespace muzero
