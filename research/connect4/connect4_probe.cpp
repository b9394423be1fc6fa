// Measures a Connect4 checkpoint's tactics on positions with a one- or two-move answer, to tell
// whether games against the expert are lost to tactical blunders or to weak strategy:
//   - win: the player to move can win at once; correct moves are the winning ones;
//   - danger: no win at once, and some moves let the opponent win at once (not blocking a
//     threat, or playing under one) while others do not; correct moves are the others.
// For each kind, the share of positions where the prior's favourite move is correct and where
// the search's move is (no noise, most visited, as in evaluation), the value head's mean, and
// the reward and value the model predicts one move deep after correct moves and after others.
// Positions come from games where each move is the expert's or a random one with equal odds.
//   build/research/connect4/connect4_probe CHECKPOINT [POSITIONS [SIMULATIONS]]
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "research/connect4/connect4_agent.h"
#include "research/connect4/connect4_positions.h"
#include "games/connect4.h"
#include "models/math_threads.h"
#include "models/torch_evaluator.h"
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
  visit_mixed_game_positions(rng, [&](const Connect4& game) {
    if (auto p = classify(game)) out.push_back(*p);
    return static_cast<int>(out.size()) < count;
  });
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
  std::optional<Agent> loaded = load_connect4_agent(checkpoint, "connect4_probe");
  if (!loaded) return 1;
  const Agent& agent = *loaded;
  std::mt19937_64 rng(7);
  const std::vector<Position> positions = sample_positions(count, rng);
  TorchEvaluator evaluator(agent.network, agent.game->observation_shape(), torch::kCPU);
  SearchParams params = agent.config.self_play.search;
  params.add_exploration_noise = false;
  if (simulations > 0) params.num_simulations = simulations;
  BatchedSearch search(params, 2, Connect4::kColumns);

  Tally tally[2];
  constexpr std::size_t kBatch = 64;
  constexpr int kSlotsPerPosition = 1 + Connect4::kColumns;  // the root, then one per move
  for (std::size_t begin = 0; begin < positions.size(); begin += kBatch) {
    const std::size_t n = std::min(positions.size(), begin + kBatch) - begin;
    std::vector<float> observations;  // n x observation size
    std::vector<SearchRoot> roots;
    std::vector<std::mt19937_64> rngs;
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<float> o = observe(agent, positions[begin + i].game);
      observations.insert(observations.end(), o.begin(), o.end());
    }
    const std::size_t size = observations.size() / n;
    for (std::size_t i = 0; i < n; ++i) {
      const Connect4& game = positions[begin + i].game;
      roots.push_back({std::span<const float>(observations).subspan(i * size, size),
                       game.legal_actions(), game.to_play()});
      rngs.emplace_back(begin + i);
    }
    const std::vector<SearchResult> results = search.run(evaluator, roots, rngs);

    // The model alone: the prior at each root, and one move deep the reward it predicts for
    // every legal move and the value after it (for the opponent, who moves next).
    evaluator.reserve_states(static_cast<int>(n) * kSlotsPerPosition);
    std::vector<int> root_slots, parents, children;
    std::vector<Action> moves;
    for (std::size_t i = 0; i < n; ++i) {
      const int root = static_cast<int>(i) * kSlotsPerPosition;
      root_slots.push_back(root);
      for (Action a : roots[i].legal_actions) {
        parents.push_back(root);
        children.push_back(root + 1 + a);
        moves.push_back(a);
      }
    }
    InferenceOutputs at_root, deeper;
    evaluator.initial_inference(observations, root_slots, at_root);
    evaluator.recurrent_inference(parents, moves, children, deeper);

    std::size_t move_index = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Position& p = positions[begin + i];
      const std::vector<Action>& legal = roots[i].legal_actions;
      Tally& t = tally[p.kind];
      ++t.positions;
      t.value_sum += results[i].predicted_value;
      t.search_ok += p.correct[move_after_search(results[i], 0.0, rng)];
      t.expert_ok += p.correct[*p.game.expert_action()];
      for (Action a : legal) t.random_ok += p.correct[a] ? 1.0 / legal.size() : 0.0;
      const float* logits = at_root.policy_logits.data() + i * Connect4::kColumns;
      Action favourite = legal[0];
      for (Action a : legal) {
        if (logits[a] > logits[favourite]) favourite = a;
      }
      t.prior_ok += p.correct[favourite];
      for (Action a : legal) {
        const int group = p.correct[a] ? 0 : 1;
        t.reward_sum[group] += deeper.rewards[move_index];
        t.after_value_sum[group] += deeper.values[move_index];
        ++t.moves[group];
        ++move_index;
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
