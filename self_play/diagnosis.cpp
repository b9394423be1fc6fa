#include "self_play/diagnosis.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <stdexcept>

#include "self_play/action_selection.h"

namespace muzero {
namespace {

// Softmax of `logits` over the legal actions; 0 elsewhere.
std::vector<float> legal_softmax(std::span<const float> logits, const std::vector<Action>& legal) {
  std::vector<float> prior(logits.size(), 0.0f);
  float top = -INFINITY;
  for (Action a : legal) top = std::max(top, logits[a]);
  double sum = 0.0;
  for (Action a : legal) sum += std::exp(static_cast<double>(logits[a] - top));
  for (Action a : legal) prior[a] = static_cast<float>(std::exp(logits[a] - top) / sum);
  return prior;
}

// Every legal move from `position` (whose observation is `observation`): one dynamics step from
// the root in one batch, then the network on each real next position. Uses state slots 0..n.
std::vector<DiagnosedAction> try_each_move(const Game& position,
                                           const std::vector<float>& observation,
                                           const std::vector<Action>& legal,
                                           const SearchResult& result, Evaluator& evaluator) {
  const int n = static_cast<int>(legal.size());
  std::vector<DiagnosedAction> tried(n);
  InferenceOutputs out;
  const int root = 0;
  evaluator.initial_inference(observation, std::span(&root, 1), out);
  std::vector<int> parents(n, root), children(n);
  for (int j = 0; j < n; ++j) children[j] = j + 1;
  evaluator.recurrent_inference(parents, legal, children, out);
  for (int j = 0; j < n; ++j) {
    DiagnosedAction& d = tried[j];
    d.action = legal[j];
    d.predicted_reward = out.rewards[j];
    d.predicted_value = out.values[j];
    d.visits = result.visit_counts[legal[j]];
    d.search_value = result.action_values[legal[j]];
  }
  for (int j = 0; j < n; ++j) {
    std::unique_ptr<Game> next = position.clone();
    const StepResult step = next->step(legal[j]);
    tried[j].real_reward = step.reward;
    tried[j].ends_game = step.done && !step.truncated;
    if (tried[j].ends_game) continue;
    evaluator.initial_inference(step.observation, std::span(&root, 1), out);
    tried[j].next_network_value = out.values[0];
  }
  return tried;
}

}  // namespace

double EpisodeDiagnosis::total_reward() const {
  double total = 0.0;
  for (std::size_t i = 0; i < rewards.size(); ++i)
    total += to_play[i] == 0 ? rewards[i] : -rewards[i];
  return total;
}

std::vector<float> real_returns(const std::vector<float>& rewards, const std::vector<int>& to_play,
                                double discount) {
  if (to_play.size() != rewards.size() + 1) {
    throw std::invalid_argument("real_returns: one player per position, one reward per move");
  }
  // Backwards: G_t = r_t' + discount * G_{t+1}, where r_t' is move t's reward seen by the
  // player to move at t, and G_{t+1} is seen by the player to move at t + 1.
  std::vector<float> returns(to_play.size(), 0.0f);
  double next = 0.0;
  for (std::size_t t = rewards.size(); t-- > 0;) {
    const double later = to_play[t + 1] == to_play[t] ? next : -next;
    next = rewards[t] + discount * later;
    returns[t] = static_cast<float>(next);
  }
  return returns;
}

EpisodeDiagnosis diagnose_episode(Game& game, Evaluator& evaluator,
                                  const DiagnoseSettings& settings) {
  SearchParams search_params = settings.search;
  search_params.add_exploration_noise = false;
  const int A = game.action_space_size();
  BatchedSearch search(search_params, game.num_players(), A);
  EpisodeDiagnosis diagnosis;
  std::vector<std::vector<float>> observations{game.reset(settings.seed)};
  std::vector<std::vector<Action>> legal;
  std::vector<std::vector<float>> policies;
  std::vector<SearchResult> chosen_results(settings.at_moves.size());
  std::vector<std::unique_ptr<Game>> chosen_games(settings.at_moves.size());
  diagnosis.to_play.push_back(game.to_play());
  std::mt19937_64 rng(settings.seed);
  bool done = false;
  while (!done && static_cast<int>(diagnosis.actions.size()) < settings.max_moves) {
    legal.push_back(game.legal_actions());
    const SearchRoot root{observations.back(), legal.back(), game.to_play()};
    std::vector<std::mt19937_64> rngs{std::mt19937_64(rng())};
    const SearchResult result = search.run(evaluator, std::span(&root, 1), rngs).front();
    const Action action = move_after_search(result, 0.0, rng);
    const int move_number = static_cast<int>(diagnosis.actions.size());
    for (std::size_t i = 0; i < settings.at_moves.size(); ++i) {
      if (settings.at_moves[i] != move_number) continue;
      chosen_games[i] = game.clone();
      chosen_results[i] = result;
    }
    const StepResult step = game.step(action);
    diagnosis.actions.push_back(action);
    diagnosis.rewards.push_back(step.reward);
    diagnosis.search_values.push_back(result.root_value);
    diagnosis.network_values.push_back(result.predicted_value);
    policies.push_back(result.policy_target);
    observations.push_back(step.observation);
    diagnosis.to_play.push_back(game.to_play());
    done = step.done;
    diagnosis.truncated = step.done ? step.truncated : !done;
  }
  diagnosis.real_values =
      real_returns(diagnosis.rewards, diagnosis.to_play, search_params.discount);

  const int moves = static_cast<int>(diagnosis.actions.size());
  const int K = std::max(0, settings.unroll_steps);
  evaluator.reserve_states(std::max(K + 1, A + 1));
  InferenceOutputs out;
  for (std::size_t i = 0; i < settings.at_moves.size(); ++i) {
    const int m = settings.at_moves[i];
    if (m < 0 || m >= moves) continue;
    DiagnosedMove move;
    move.move = m;
    move.search_policy = policies[m];
    const int slot = 0;
    evaluator.initial_inference(observations[m], std::span(&slot, 1), out);
    move.prior = legal_softmax(out.policy_logits, legal[m]);
    const auto record = [&](int position, Action action, float predicted_reward, float value) {
      DiagnosedStep step;
      step.position = position;
      step.action = action;
      step.predicted_reward = predicted_reward;
      step.real_reward = action < 0 ? 0.0f : diagnosis.rewards[position - 1];
      step.predicted_value = value;
      step.real_value = diagnosis.real_values[position];
      step.searched = position < moves;
      step.search_value = step.searched ? diagnosis.search_values[position] : 0.0f;
      move.unroll.push_back(step);
    };
    record(m, -1, 0.0f, out.values[0]);
    for (int k = 1; k <= K && m + k <= moves; ++k) {
      const int parent = k - 1, child = k;
      const Action action = diagnosis.actions[m + k - 1];
      evaluator.recurrent_inference(std::span(&parent, 1), std::span(&action, 1),
                                    std::span(&child, 1), out);
      record(m + k, action, out.rewards[0], out.values[0]);
    }
    move.actions =
        try_each_move(*chosen_games[i], observations[m], legal[m], chosen_results[i], evaluator);
    diagnosis.moves.push_back(std::move(move));
  }
  return diagnosis;
}

}  // namespace muzero
