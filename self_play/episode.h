#pragma once
// Plays whole test episodes with the search (no exploration noise, most visited action), with
// the other seat of a two-player game taken by MuZero itself, a random player, the game's
// expert, the minimal expert (self_play/minimal_expert.h) or an alpha-beta search over the rules
// (self_play/alpha_beta.h). The episodes advance in lock-step so each simulation is one batched
// network call. Used by test rounds during training and by evaluation.
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "games/game.h"
#include "self_play/evaluator.h"
#include "self_play/mcts.h"

namespace muzero {

enum class Opponent { kSelf, kRandom, kExpert, kMinimal, kAlphaBeta };
// Who takes the other seat; depth is alphabeta's search depth in plies.
struct OpponentChoice {
  OpponentChoice(Opponent kind_ = Opponent::kSelf, int depth_ = 0) : kind(kind_), depth(depth_) {}
  Opponent kind;
  int depth;
};
// "self", "random", "expert", "minimal" (self_play/minimal_expert.h) or "alphabeta:D" (D plies,
// 1..20); std::invalid_argument otherwise.
OpponentChoice parse_opponent(const std::string& name);

struct EpisodeResult {
  double total_reward = 0;                // sum of all rewards (one-player games)
  double muzero_reward = 0;               // rewards earned by MuZero's moves
  double opponent_reward = 0;             // rewards earned by the opponent's moves
  std::vector<double> rewards_by_player;  // rewards earned by each seat's moves
  int length = 0;
  double mean_root_value = 0;  // over MuZero's searches
  std::vector<Action> moves;   // every move of the episode, in order
};

struct EpisodeSettings {
  SearchParams search;  // exploration noise is turned off
  int max_moves = 500;
  OpponentChoice opponent = Opponent::kSelf;
  int muzero_player = 0;
  // The first moves of every episode are uniformly random, whoever is to move: varied openings,
  // so that games against a deterministic expert are not all the same game.
  int random_opening_moves = 0;
};

// Plays one episode per seed, all at once; results are in the order of `seeds`.
std::vector<EpisodeResult> play_episodes(const std::function<std::unique_ptr<Game>()>& make_game,
                                         std::span<const std::uint64_t> seeds, Evaluator& evaluator,
                                         const EpisodeSettings& settings, std::mt19937_64& rng);

}  // namespace muzero
