// Measures a Connect4 checkpoint's tactics on positions with a one- or two-move answer, to tell
// whether games against the expert are lost to tactical blunders or to weak strategy:
//   - win: the player to move can win at once; correct moves are the winning ones;
//   - danger: no win at once, and some moves let the opponent win at once (not blocking a
//     threat, or playing under one) while others do not; correct moves are the others.
// For each kind, the share of positions where the prior's favourite move is correct and where
// the search's move is (no noise, most visited, as in evaluation), and the value head's mean.
// Positions come from games where each move is the expert's or a random one with equal odds.
//   build/bench/connect4_probe CHECKPOINT [POSITIONS [SIMULATIONS]]
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "games/connect4.h"
#include "models/math_threads.h"
#include "models/torch_evaluator.h"
#include "muzero/agent.h"
#include "self_play/action_selection.h"
#include "self_play/mcts.h"

namespace muzero {
namespace {

enum Kind { kWin = 0, kDanger = 1 };

struct Position {
  Connect4 game;
  Kind kind = kWin;
  std::vector<bool> correct;  // by action
};

// Whether the player to move wins with `action`, and whether the opponent then has a win.
bool wins_now(const Connect4& game, Action action) {
  Connect4 next = game;
  return next.step(action).reward > 0;
}
bool opponent_wins_after(const Connect4& game, Action action) {
  Connect4 next = game;
  if (next.step(action).done) return false;
  for (Action reply : next.legal_actions()) {
    if (wins_now(next, reply)) return true;
  }
  return false;
}

std::optional<Position> classify(const Connect4& game) {
  Position p{game, kWin, std::vector<bool>(Connect4::kColumns, false)};
  const std::vector<Action> legal = game.legal_actions();
  bool any_win = false;
  for (Action a : legal) {
    p.correct[a] = wins_now(game, a);
    any_win = any_win || p.correct[a];
  }
  if (any_win) return p;
  int safe = 0;
  for (Action a : legal) {
    p.correct[a] = !opponent_wins_after(game, a);
    safe += p.correct[a] ? 1 : 0;
  }
  if (safe == 0 || safe == static_cast<int>(legal.size())) return std::nullopt;
  p.kind = kDanger;
  return p;
}

std::vector<Position> sample_positions(int count, std::mt19937_64& rng) {
  std::vector<Position> out;
  std::bernoulli_distribution expert_moves(0.5);
  while (static_cast<int>(out.size()) < count) {
    Connect4 game;
    game.reset(rng());
    while (!game.is_terminal() && static_cast<int>(out.size()) < count) {
      if (auto p = classify(game)) out.push_back(*p);
      const std::vector<Action> legal = game.legal_actions();
      std::uniform_int_distribution<std::size_t> pick(0, legal.size() - 1);
      game.step(expert_moves(rng) ? *game.expert_action() : legal[pick(rng)]);
    }
  }
  return out;
}

struct Tally {
  int positions = 0, prior_ok = 0, search_ok = 0, expert_ok = 0;
  double value_sum = 0, random_ok = 0;
  // By move, correct (0) or not (1): count, predicted reward, predicted value after it.
  int moves[2] = {0, 0};
  double reward_sum[2] = {0, 0}, after_value_sum[2] = {0, 0};
};

int run(const std::string& checkpoint, int count, int simulations) {
  use_single_math_thread();
  torch::NoGradGuard no_grad;
  Agent agent = load_agent(checkpoint);
  if (agent.config.game_name != "connect4") {
    std::fprintf(stderr, "connect4_probe: %s is a %s checkpoint\n", checkpoint.c_str(),
                 agent.config.game_name.c_str());
    return 1;
  }
  agent.network->eval();
  std::mt19937_64 rng(7);
  const std::vector<Position> positions = sample_positions(count, rng);
  TorchEvaluator evaluator(agent.network, agent.game->observation_shape(), torch::kCPU);
  SearchParams params = agent.config.self_play.search;
  params.add_exploration_noise = false;
  if (simulations > 0) params.num_simulations = simulations;
  BatchedSearch search(params, 2, Connect4::kColumns);

  Tally tally[2];
  constexpr std::size_t kBatch = 64;
  for (std::size_t begin = 0; begin < positions.size(); begin += kBatch) {
    const std::size_t end = std::min(positions.size(), begin + kBatch);
    std::vector<std::vector<float>> observations;
    std::vector<SearchRoot> roots;
    std::vector<std::mt19937_64> rngs;
    for (std::size_t i = begin; i < end; ++i) {
      observations.push_back(positions[i].game.observation());
      rngs.emplace_back(i);
    }
    for (std::size_t i = begin; i < end; ++i) {
      roots.push_back({observations[i - begin], positions[i].game.legal_actions(),
                       positions[i].game.to_play()});
    }
    const std::vector<SearchResult> results = search.run(evaluator, roots, rngs);
    for (std::size_t i = begin; i < end; ++i) {
      const Position& p = positions[i];
      const SearchResult& r = results[i - begin];
      Tally& t = tally[p.kind];
      ++t.positions;
      t.value_sum += r.predicted_value;
      const Action searched = select_action(r.visit_counts, 0.0, rng, r.action_values);
      t.search_ok += p.correct[searched];
      t.expert_ok += p.correct[*p.game.expert_action()];
      const std::vector<Action>& legal = roots[i - begin].legal_actions;
      for (Action a : legal) t.random_ok += p.correct[a] ? 1.0 / legal.size() : 0.0;
      // The prior: one simulation's search visits the prior's favourite legal move.
      InferenceOutputs out;
      const int root_slot = 0;
      evaluator.reserve_states(1 + Connect4::kColumns);
      evaluator.initial_inference(observations[i - begin], {&root_slot, 1}, out);
      Action favourite = legal[0];
      for (Action a : legal) {
        if (out.policy_logits[a] > out.policy_logits[favourite]) favourite = a;
      }
      t.prior_ok += p.correct[favourite];
      // The model one move deep: the reward it predicts for each legal move, and the value
      // (for the opponent, who moves next) after it.
      const std::vector<int> parents(legal.size(), root_slot);
      std::vector<int> slots(legal.size());
      for (std::size_t j = 0; j < legal.size(); ++j) slots[j] = 1 + static_cast<int>(j);
      evaluator.recurrent_inference(parents, legal, slots, out);
      for (std::size_t j = 0; j < legal.size(); ++j) {
        const int group = p.correct[legal[j]] ? 0 : 1;
        t.reward_sum[group] += out.rewards[j];
        t.after_value_sum[group] += out.values[j];
        ++t.moves[group];
      }
    }
  }
  std::printf("%d positions, %d simulations\n", static_cast<int>(positions.size()),
              params.num_simulations);
  const char* names[2] = {"win now", "danger"};
  for (int k = 0; k < 2; ++k) {
    const Tally& t = tally[k];
    if (t.positions == 0) continue;
    std::printf(
        "%-8s %5d positions: correct moves: prior %5.1f%%, search %5.1f%% (random %5.1f%%, "
        "expert %5.1f%%); mean value %+.2f\n",
        names[k], t.positions, 100.0 * t.prior_ok / t.positions, 100.0 * t.search_ok / t.positions,
        100.0 * t.random_ok / t.positions, 100.0 * t.expert_ok / t.positions,
        t.value_sum / t.positions);
    std::printf(
        "         model one move deep: reward %+.2f after correct moves, %+.2f after others; "
        "opponent's value %+.2f / %+.2f\n",
        t.reward_sum[0] / std::max(1, t.moves[0]), t.reward_sum[1] / std::max(1, t.moves[1]),
        t.after_value_sum[0] / std::max(1, t.moves[0]),
        t.after_value_sum[1] / std::max(1, t.moves[1]));
  }
  return 0;
}

}  // namespace
}  // namespace muzero

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: connect4_probe CHECKPOINT [POSITIONS [SIMULATIONS]]\n");
    return 2;
  }
  return muzero::run(argv[1], argc > 2 ? std::stoi(argv[2]) : 2000,
                     argc > 3 ? std::stoi(argv[3]) : 0);
}
