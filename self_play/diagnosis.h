#pragma once
// `muzero diagnose` (muzero-general's diagnose_model, on the Evaluator interface): plays one
// episode with the evaluation search (no noise, the most visited move), then from chosen moves
// unrolls the model along the actions really taken and sets what it predicts beside what
// happened: rewards, values, and the search's policy beside the network's prior.
#include <cstdint>
#include <memory>
#include <vector>

#include "games/game.h"
#include "self_play/evaluator.h"
#include "self_play/mcts.h"

namespace muzero {

struct DiagnoseSettings {
  SearchParams search;        // exploration noise is turned off
  int max_moves = 500;        // the episode is cut off after this many moves
  int unroll_steps = 5;       // K: steps unrolled from each chosen move
  std::vector<int> at_moves;  // chosen moves; those past the episode's end are dropped
  std::uint64_t seed = 0;     // the game's reset seed
};

// Step k of the unroll from move m: position m + k.
struct DiagnosedStep {
  int position = 0;
  Action action = -1;             // the action taken into this position (k >= 1); -1 at k = 0
  float predicted_reward = 0.0f;  // the dynamics' reward for that action (k >= 1)
  float real_reward = 0.0f;       // the game's reward for it (k >= 1)
  float predicted_value = 0.0f;   // the model's value of the unrolled state, for the player to move
  float real_value = 0.0f;        // the discounted return from the position to the episode's end
  float search_value = 0.0f;      // the search's root value there (the episode's last position
                                  // has none: its real value is 0 or the cut-off's return)
  bool searched = false;
};

// One legal move tried from a chosen position: what one step of the dynamics predicts for it
// beside what the real game does. The search compares its moves through these predictions, so a
// model right along the moves played but wrong for the others misleads it (a model trained on
// good play only learns what good moves do).
struct DiagnosedAction {
  Action action = -1;
  float predicted_reward = 0.0f;  // the dynamics' reward for the move
  float real_reward = 0.0f;       // the game's reward for it, for the player who made it
  // The model's value of the state after the move, for the player to move there ...
  float predicted_value = 0.0f;
  // ... and the network's value of the real position after it, for the same player (0 when the
  // move ends the game). The consistency loss pulls the first towards the second.
  float next_network_value = 0.0f;
  bool ends_game = false;
  int visits = 0;             // the search's visits of the move at this position
  float search_value = 0.0f;  // the search's value of the move for the mover (0 if unvisited)
};

struct DiagnosedMove {
  int move = 0;
  std::vector<DiagnosedAction> actions;  // every legal move, one dynamics step each
  std::vector<float> prior;              // A: the network's policy at the root, over legal moves
  std::vector<float> search_policy;      // A: the search's policy target there
  std::vector<DiagnosedStep> unroll;     // K + 1 steps, fewer near the end of the episode
};

struct EpisodeDiagnosis {
  std::vector<Action> actions;        // per move
  std::vector<float> rewards;         // per move, for the player who made it
  std::vector<int> to_play;           // per position (moves + 1)
  std::vector<float> search_values;   // per move: the search's root value
  std::vector<float> network_values;  // per move: the network's value of the root
  std::vector<float> real_values;     // per position: the discounted return to the end
  bool truncated = false;             // cut off by a time limit: real values miss the rest
  std::vector<DiagnosedMove> moves;
  double total_reward() const;  // of player 0 (one-player games: the episode's reward)
};

// The discounted return from each position to the end, for the player to move there: rewards
// of the other player's moves count negatively. rewards[i] is move i's; to_play has one more
// entry than rewards.
std::vector<float> real_returns(const std::vector<float>& rewards, const std::vector<int>& to_play,
                                double discount);

EpisodeDiagnosis diagnose_episode(Game& game, Evaluator& evaluator,
                                  const DiagnoseSettings& settings);

}  // namespace muzero
