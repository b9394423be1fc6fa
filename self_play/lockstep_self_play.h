#pragma once
// Plays N games at once, one move per call for every game, so that each search simulation is a
// single batched network call over all N games. A finished game is handed back and replaced by a
// new one, which keeps the batch full.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "games/game.h"
#include "replay_buffer/game_history.h"
#include "self_play/evaluator.h"
#include "self_play/mcts.h"

namespace muzero {

struct SelfPlayParams {
  SearchParams search;
  int max_moves = 500;                       // a game is cut off after this many moves
  std::optional<int> temperature_threshold;  // from this move on, play the most visited action
  // Record the rules' rewards for every move and reply at each position (set when
  // training.lookahead_reward_loss_weight > 0; games/lookahead_rewards.h).
  bool record_lookahead_rewards = false;
  // Record the observation every legal move leads to at each position (set when
  // training.all_moves_consistency_loss_weight > 0; games/move_observations.h).
  bool record_move_observations = false;
  // Each game starts with a number of uniformly random legal moves, itself drawn uniformly from
  // 0 to this, which are played but not recorded: the record starts after them. Searches then
  // meet positions that self-play between two good players never reaches (AlphaZero-style
  // temperature only varies the moves the network already likes). 0: none.
  int random_opening_moves = 0;
};

class LockstepSelfPlay {
 public:
  LockstepSelfPlay(std::function<std::unique_ptr<Game>()> make_game, int num_parallel_games,
                   SelfPlayParams params, std::uint64_t seed);

  // Makes one move in every game and returns the games that ended with it. `weights_step` is
  // the training step of the evaluator's weights, recorded with each search (-1: unknown).
  std::vector<GameHistory> step(Evaluator& evaluator, double temperature,
                                std::int64_t weights_step = -1);

  int num_parallel_games() const { return static_cast<int>(slots_.size()); }

 private:
  struct Slot {
    std::unique_ptr<Game> game;
    GameHistory history;
    std::mt19937_64 rng;
    int opening_moves = 0;  // played before the record starts; they count towards max_moves
  };
  void start_game(Slot& slot);

  std::function<std::unique_ptr<Game>()> make_game_;
  SelfPlayParams params_;
  std::mt19937_64 seeder_;
  std::vector<Slot> slots_;
  std::unique_ptr<BatchedSearch> search_;
};

}  // namespace muzero
