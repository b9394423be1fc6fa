// Measures how well a TicTacToe checkpoint's learned model matches the solved game, over every
// reachable non-terminal position, split by the player to move:
//   - value: sign agreement with the solved value (win/draw/loss) and mean absolute error;
//   - policy: whether the prior's favourite move is an optimal one;
//   - dynamics: predicted reward for every legal move against the true one (1 for a winning
//     move), and the predicted value after the move against the solved value there.
//   - the search: the move `evaluate` plays (the checkpoint's search, no noise, the most visited
//     move), optimal or not in every position (the learning issue's 99% target).
// It tells a model that has not learned the game from a search that cannot use what it learned.
//   build/bench/tictactoe_probe CHECKPOINT
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "games/tictactoe.h"
#include "models/math_threads.h"
#include "muzero/agent.h"
#include "self_play/action_selection.h"
#include "self_play/mcts.h"

namespace muzero {
namespace {

struct Position {
  TicTacToe game;
  int solved = 0;  // for the player to move
};

std::vector<Position> reachable_positions() {
  std::vector<Position> out;
  for (const TicTacToe& game : TicTacToe::reachable_positions()) {
    out.push_back({game, game.solved_value()});
  }
  return out;
}

int sign_of(double v) {
  return v > 0.33 ? 1 : (v < -0.33 ? -1 : 0);
}

struct Tally {
  int positions = 0, value_sign_ok = 0, policy_optimal = 0, decided = 0, decided_sign_ok = 0;
  double value_abs_error = 0;
  int moves = 0, wins = 0, win_reward_ok = 0, non_win_reward_ok = 0, after_sign_ok = 0;
  int search_optimal = 0;
};

// Whether each legal move keeps the position's solved value.
std::vector<bool> optimal_moves(const Position& p) {
  std::vector<bool> optimal(9, false);
  for (Action a : p.game.optimal_moves()) optimal[a] = true;
  return optimal;
}

int run(const std::string& checkpoint) {
  use_single_math_thread();
  torch::NoGradGuard no_grad;
  Agent agent = load_agent(checkpoint);
  MuZeroNetwork& net = *agent.network;
  net.eval();
  const std::vector<Position> positions = reachable_positions();
  Tally tally[2];
  {
    // The search, all positions in one lock-step batch, as evaluate plays.
    const std::unique_ptr<NetworkEvaluator> evaluator = make_agent_evaluator(agent, "");
    SearchParams search = agent.config.self_play.search;
    search.add_exploration_noise = false;
    BatchedSearch searcher(search, 2, 9);
    std::vector<std::vector<float>> observations;
    std::vector<SearchRoot> roots;
    for (const Position& p : positions) observations.push_back(p.game.observation());
    for (std::size_t i = 0; i < positions.size(); ++i) {
      roots.push_back(
          {observations[i], positions[i].game.legal_actions(), positions[i].game.to_play()});
    }
    std::vector<std::mt19937_64> rngs(roots.size());
    const std::vector<SearchResult> results = searcher.run(*evaluator, roots, rngs);
    std::mt19937_64 unused(0);
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const Action chosen = move_after_search(results[i], 0.0, unused);
      tally[positions[i].game.to_play()].search_optimal += optimal_moves(positions[i])[chosen];
    }
  }
  for (const Position& p : positions) {
    Tally& t = tally[p.game.to_play()];
    const torch::Tensor obs = torch::tensor(p.game.observation()).reshape({1, 3, 3, 3});
    const NetworkOutput root = net.initial_inference(obs);
    const double value = net.to_scalar(root.value_logits).item<double>();
    ++t.positions;
    t.value_sign_ok += sign_of(value) == p.solved;
    if (p.solved != 0) {
      ++t.decided;
      t.decided_sign_ok += (value > 0) == (p.solved > 0);
    }
    t.value_abs_error += std::abs(value - p.solved);
    const std::vector<Action> legal = p.game.legal_actions();
    const std::vector<bool> optimal = optimal_moves(p);
    const torch::Tensor logits = root.policy_logits[0];
    Action best = legal[0];
    for (Action a : legal)
      if (logits[a].item<float>() > logits[best].item<float>()) best = a;
    t.policy_optimal += optimal[best];
    for (Action a : legal) {
      TicTacToe child = p.game;
      const StepResult step = child.step(a);
      const NetworkOutput after =
          net.recurrent_inference(root.hidden_state, torch::tensor({static_cast<std::int64_t>(a)}));
      const double reward = net.to_scalar(after.reward_logits).item<double>();
      const double after_value = net.to_scalar(after.value_logits).item<double>();
      ++t.moves;
      if (step.reward > 0) {
        ++t.wins;
        t.win_reward_ok += reward > 0.5;
      } else {
        t.non_win_reward_ok += reward < 0.5;
        if (!child.is_terminal()) t.after_sign_ok += sign_of(after_value) == child.solved_value();
      }
    }
  }
  const int all = tally[0].positions + tally[1].positions;
  std::printf("all %d positions: the search's move optimal in %d (%.2f%%)\n", all,
              tally[0].search_optimal + tally[1].search_optimal,
              100.0 * (tally[0].search_optimal + tally[1].search_optimal) / all);
  for (int player = 0; player < 2; ++player) {
    const Tally& t = tally[player];
    std::printf(
        "player %d to move: %d positions; value sign right %.1f%% (won/lost ones %.1f%%), mean "
        "|error| %.3f; prior's favourite optimal %.1f%%; the search's move optimal %.2f%%\n  %d "
        "moves: winning moves predicted (r > "
        "0.5) %.1f%% of %d, "
        "other moves r < 0.5 %.1f%%, value after the move right sign %.1f%%\n",
        player, t.positions, 100.0 * t.value_sign_ok / t.positions,
        100.0 * t.decided_sign_ok / std::max(1, t.decided), t.value_abs_error / t.positions,
        100.0 * t.policy_optimal / t.positions, 100.0 * t.search_optimal / t.positions, t.moves,
        100.0 * t.win_reward_ok / std::max(1, t.wins), t.wins,
        100.0 * t.non_win_reward_ok / std::max(1, t.moves - t.wins),
        100.0 * t.after_sign_ok / std::max(1, t.moves - t.wins));
  }
  return 0;
}

}  // namespace
}  // namespace muzero

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CHECKPOINT\n", argv[0]);
    return 2;
  }
  return muzero::run(argv[1]);
}
