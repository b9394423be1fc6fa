#pragma once
// Plays one whole test episode with the search (no exploration noise, most visited action), with
// the other seat of a two-player game taken by MuZero itself, a random player or the game's
// expert. Used by test rounds during training and by evaluation.
#include <random>
#include <string>

#include "games/game.h"
#include "self_play/evaluator.h"
#include "self_play/mcts.h"

namespace muzero {

enum class Opponent { kSelf, kRandom, kExpert };
Opponent parse_opponent(const std::string& name);  // "self", "random", "expert"

struct EpisodeResult {
  double total_reward = 0;     // sum of all rewards (one-player games)
  double muzero_reward = 0;    // rewards earned by MuZero's moves
  double opponent_reward = 0;  // rewards earned by the opponent's moves
  int length = 0;
  double mean_root_value = 0;  // over MuZero's searches
};

EpisodeResult play_episode(Game& game, std::uint64_t seed, Evaluator& evaluator,
                           SearchParams search, int max_moves, Opponent opponent, int muzero_player,
                           std::mt19937_64& rng);

}  // namespace muzero
