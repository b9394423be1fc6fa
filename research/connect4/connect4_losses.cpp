// Why a Connect4 checkpoint loses to the expert: plays games against it (no noise, the first
// moves at random, as `muzero evaluate --random-opening`) and sorts every lost game by the
// checkpoint's last move before the expert's winning one:
//   - missed win: it could have won at once (at that move or any earlier one);
//   - not blocked: some move would have kept the expert from winning at once, and it left a
//     threat of the expert's open in another column;
//   - played under: the same, but the expert's only wins are on top of its own stone;
//   - outplayed: every move lost at once (a double threat, or a threat under a threat): the
//     mistake was two or more moves deeper.
// The first three are tactics a one-move lookahead sees; the last is deeper. With "guarded",
// the search's root may only choose among the moves a one-move lookahead with the true rules
// allows (the winning ones if any, else those that do not let the expert win at once): what
// the same checkpoint would score if its model never got those tactics wrong. With "minimal",
// the opponent is the least expert issue 4 allows (wins, blocks, else a random column; as
// muzero-general's) instead of Connect4's own, which also avoids handing over a win and prefers
// the center.
//   build/research/connect4/connect4_losses CHECKPOINT SEAT [GAMES [RANDOM_OPENING [SIMULATIONS
//   [guarded|minimal]]]]
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

// What the checkpoint's move was, seen one move deep.
enum MoveKind { kFine, kMissedWin, kNotBlocked, kPlayedUnder, kForcedLoss, kKinds };

MoveKind judge(const Connect4& game, Action chosen) {
  bool can_win = false, can_hold = false;
  for (Action a : game.legal_actions()) {
    can_win = can_win || wins_now(game, a);
    can_hold = can_hold || !opponent_wins_after(game, a);
  }
  if (can_win && !wins_now(game, chosen)) return kMissedWin;
  if (!can_win && !can_hold) return kForcedLoss;
  if (can_win || !opponent_wins_after(game, chosen)) return kFine;
  Connect4 next = game;
  next.step(chosen);
  for (Action reply : next.legal_actions()) {
    if (reply != chosen && wins_now(next, reply)) return kNotBlocked;
  }
  return kPlayedUnder;
}

// The search tree under a blunder: how much the search looked at the move it chose and at the
// expert's winning reply to it, and what the model predicted there.
struct BlunderTally {
  int count = 0, reply_searched = 0;
  double chosen_visits = 0, reply_visits = 0, reply_reward = 0, chosen_q = 0, best_other_q = 0;
  // The same reply one move deep: the model started from the real position after the blunder.
  std::vector<float> observations_after;
  std::vector<Action> replies;
  double reply_reward_one_deep = 0;
};

const Node* child_for(const SearchTree& tree, const Node& parent, Action action) {
  for (int c = 0; c < parent.num_children; ++c) {
    const Node& child = tree.nodes[parent.first_child + c];
    if (child.action == action) return &child;
  }
  return nullptr;
}

void inspect_blunder(const Agent& agent, const Connect4& game, Action chosen,
                     const SearchTree& tree, BlunderTally& tally) {
  const Node& root = tree.nodes[0];
  const Node* node = child_for(tree, root, chosen);
  if (node == nullptr) return;
  ++tally.count;
  tally.chosen_visits += node->visit_count;
  tally.chosen_q += value_for_parent(*node, 1.0, 2);
  double best_other = -1e9;
  for (int c = 0; c < root.num_children; ++c) {
    const Node& other = tree.nodes[root.first_child + c];
    if (other.action != chosen && other.visit_count > 0) {
      best_other = std::max(best_other, value_for_parent(other, 1.0, 2));
    }
  }
  tally.best_other_q += best_other > -1e9 ? best_other : 0.0;
  Connect4 next = game;
  next.step(chosen);
  for (Action reply : next.legal_actions()) {
    if (!wins_now(next, reply)) continue;
    const std::vector<float> o = observe(agent, next);
    tally.observations_after.insert(tally.observations_after.end(), o.begin(), o.end());
    tally.replies.push_back(reply);
    const Node* r = node->expanded() ? child_for(tree, *node, reply) : nullptr;
    if (r != nullptr && r->visit_count > 0) {
      ++tally.reply_searched;
      tally.reply_visits += r->visit_count;
      tally.reply_reward += r->reward;
    }
    break;
  }
}

// The moves a one-move lookahead with the true rules allows.
std::vector<Action> guarded_moves(const Connect4& game) {
  std::vector<Action> wins, holds;
  for (Action a : game.legal_actions()) {
    if (wins_now(game, a)) wins.push_back(a);
    if (!opponent_wins_after(game, a)) holds.push_back(a);
  }
  if (!wins.empty()) return wins;
  return holds.empty() ? game.legal_actions() : holds;
}

struct Table {
  Connect4 game;
  std::vector<MoveKind> own_moves;
};

int run(const std::string& checkpoint, int seat, int games, int opening, int simulations,
        bool guarded, bool minimal_expert) {
  use_single_math_thread();
  torch::NoGradGuard no_grad;
  std::optional<Agent> loaded = load_connect4_agent(checkpoint, "connect4_losses");
  if (!loaded) return 1;
  const Agent& agent = *loaded;
  TorchEvaluator evaluator(agent.network, agent.game->observation_shape(), torch::kCPU);
  TorchEvaluator one_deep(agent.network, agent.game->observation_shape(), torch::kCPU);
  SearchParams params = agent.config.self_play.search;
  params.add_exploration_noise = false;
  if (simulations > 0) params.num_simulations = simulations;
  constexpr int kBatch = 64;
  BatchedSearch search(params, 2, Connect4::kColumns);

  std::mt19937_64 rng(11);
  int wins = 0, draws = 0, losses = 0;
  int lost_by[kKinds] = {};  // by the kind of the last own move that mattered
  int moves_by[kKinds] = {};
  BlunderTally blunders;
  for (int begin = 0; begin < games; begin += kBatch) {
    std::vector<Table> tables(std::min(kBatch, games - begin));
    for (Table& t : tables) {
      t.game.reset(rng());
      play_random_moves(t.game, opening, rng);
    }
    for (;;) {
      std::vector<float> observations;
      std::vector<Table*> searching;
      for (Table& t : tables) {
        while (!t.game.is_terminal() && t.game.to_play() != seat) {
          t.game.step(minimal_expert ? minimal_expert_action(t.game, rng)
                                     : *t.game.expert_action());
        }
        if (t.game.is_terminal()) continue;
        const std::vector<float> o = observe(agent, t.game);
        observations.insert(observations.end(), o.begin(), o.end());
        searching.push_back(&t);
      }
      if (searching.empty()) break;
      const std::size_t size = observations.size() / searching.size();
      std::vector<SearchRoot> roots;
      std::vector<std::mt19937_64> rngs;
      for (std::size_t i = 0; i < searching.size(); ++i) {
        const Connect4& game = searching[i]->game;
        roots.push_back({std::span<const float>(observations).subspan(i * size, size),
                         guarded ? guarded_moves(game) : game.legal_actions(), seat});
        rngs.emplace_back(rng());
      }
      const std::vector<SearchResult> results = search.run(evaluator, roots, rngs);
      for (std::size_t i = 0; i < searching.size(); ++i) {
        Table& t = *searching[i];
        const Action chosen = move_after_search(results[i], 0.0, rng);
        const MoveKind kind = judge(t.game, chosen);
        ++moves_by[kind];
        if (kind == kNotBlocked || kind == kPlayedUnder) {
          inspect_blunder(agent, t.game, chosen, search.trees()[i], blunders);
        }
        t.own_moves.push_back(kind);
        t.game.step(chosen);
      }
    }
    if (!blunders.replies.empty()) {
      const int n = static_cast<int>(blunders.replies.size());
      std::vector<int> roots(n), children(n);
      for (int i = 0; i < n; ++i) {
        roots[i] = i;
        children[i] = n + i;
      }
      one_deep.reserve_states(2 * n);
      InferenceOutputs unused, out;
      one_deep.initial_inference(blunders.observations_after, roots, unused);
      one_deep.recurrent_inference(roots, blunders.replies, children, out);
      for (float r : out.rewards) blunders.reply_reward_one_deep += r;
      blunders.observations_after.clear();
      blunders.replies.clear();
    }
    for (const Table& t : tables) {
      const int winner = t.game.winner();
      if (winner == seat) {
        ++wins;
      } else if (winner < 0) {
        ++draws;
      } else {
        ++losses;
        // A missed win anywhere counts first; else the last own move decides.
        MoveKind cause = t.own_moves.empty() ? kForcedLoss : t.own_moves.back();
        for (MoveKind k : t.own_moves) {
          if (k == kMissedWin) cause = kMissedWin;
        }
        ++lost_by[cause];
      }
    }
  }
  int total_moves = 0;
  for (int n : moves_by) total_moves += n;
  std::printf("%d games, seat %d, %d random opening moves, %d simulations%s%s\n", games, seat,
              opening, params.num_simulations, guarded ? ", guarded by the true rules" : "",
              minimal_expert ? ", against the minimal expert" : "");
  std::printf("wins %d  draws %d  losses %d\n", wins, draws, losses);
  std::printf("losses: missed win %d, not blocked %d, played under %d, outplayed %d\n",
              lost_by[kMissedWin], lost_by[kNotBlocked], lost_by[kPlayedUnder],
              lost_by[kForcedLoss]);
  std::printf("own moves %d: missed win %d, not blocked %d, played under %d, already lost %d\n",
              total_moves, moves_by[kMissedWin], moves_by[kNotBlocked], moves_by[kPlayedUnder],
              moves_by[kForcedLoss]);
  if (blunders.count > 0) {
    const double n = blunders.count;
    const double m = std::max(1, blunders.reply_searched);
    std::printf(
        "at blunders: chosen move %.1f visits, its Q %+.2f (best other visited %+.2f); the "
        "expert's winning reply searched in %.0f%%, %.1f visits, predicted reward %+.2f (%+.2f "
        "from the real position after the blunder)\n",
        blunders.chosen_visits / n, blunders.chosen_q / n, blunders.best_other_q / n,
        100.0 * blunders.reply_searched / n, blunders.reply_visits / m, blunders.reply_reward / m,
        blunders.reply_reward_one_deep / n);
  }
  return 0;
}

}  // namespace
}  // namespace muzero

int main(int argc, char** argv) {
  const bool valid_seat = argc >= 3 && (std::string(argv[2]) == "0" || std::string(argv[2]) == "1");
  const std::string mode = argc > 6 ? argv[6] : "";
  if (!valid_seat || !(mode.empty() || mode == "guarded" || mode == "minimal")) {
    std::fprintf(stderr,
                 "usage: connect4_losses CHECKPOINT SEAT [GAMES [RANDOM_OPENING "
                 "[SIMULATIONS [guarded|minimal]]]]\n");
    return 2;
  }
  return muzero::run(argv[1], std::stoi(argv[2]), argc > 3 ? std::stoi(argv[3]) : 1000,
                     argc > 4 ? std::stoi(argv[4]) : 4, argc > 5 ? std::stoi(argv[5]) : 0,
                     mode == "guarded", mode == "minimal");
}
