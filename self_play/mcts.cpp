#include "self_play/mcts.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "self_play/action_selection.h"
#include "self_play/gumbel.h"

namespace muzero {

void MinMaxStats::update(double value) {
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

double MinMaxStats::normalize(double value) const {
  return max_ > min_ ? (value - min_) / (max_ - min_) : value;
}

ExplorationTerms exploration_terms(const Node& parent, const MinMaxStats& stats,
                                   const SearchParams& params) {
  ExplorationTerms terms;
  terms.pb_c =
      std::log((parent.visit_count + params.pb_c_base + 1.0) / params.pb_c_base) + params.pb_c_init;
  terms.sqrt_visits = std::sqrt(static_cast<double>(parent.visit_count));
  if (params.unvisited_value == "parent") {
    // Node values are for the node's player, the same side as its children's Q values.
    terms.unvisited_score =
        stats.normalize(parent.visit_count > 0 ? parent.value() : parent.network_value);
  }
  return terms;
}

double value_for_parent(const Node& child, double discount, int num_players) {
  return child.reward + discount * (num_players == 1 ? child.value() : -child.value());
}

double ucb_score(const ExplorationTerms& parent, const Node& child, const MinMaxStats& stats,
                 const SearchParams& params, int num_players) {
  const double pb_c = parent.pb_c * (parent.sqrt_visits / (child.visit_count + 1));
  const double prior_score = pb_c * child.prior;
  double value_score = parent.unvisited_score;
  if (child.visit_count > 0) {
    value_score = stats.normalize(value_for_parent(child, params.discount, num_players));
  }
  return prior_score + value_score;
}

BatchedSearch::BatchedSearch(SearchParams params, int num_players, int action_space_size)
    : params_(params), num_players_(num_players), action_space_size_(action_space_size) {
  if (num_players < 1 || num_players > 2)
    throw std::invalid_argument("search supports 1 or 2 players");
  if (params.num_simulations < 1) throw std::invalid_argument("num_simulations must be >= 1");
  if (params.algorithm != "puct" && params.algorithm != "gumbel")
    throw std::invalid_argument("unknown search algorithm '" + params.algorithm +
                                "' (puct or gumbel)");
  if (params.gumbel_max_considered_actions < 1)
    throw std::invalid_argument("gumbel_max_considered_actions must be >= 1");
  if (params.known_value_bounds &&
      !((*params.known_value_bounds)[0] < (*params.known_value_bounds)[1]))
    throw std::invalid_argument("known_value_bounds: the lower bound must be below the upper");
  if (params.unvisited_value != "min" && params.unvisited_value != "parent")
    throw std::invalid_argument("unknown unvisited_value '" + params.unvisited_value +
                                "' (min or parent)");
  gumbel_ = params.algorithm == "gumbel";
  for (Action a = 0; a < action_space_size; ++a) all_actions_.push_back(a);
}

void BatchedSearch::expand(SearchTree& tree, int node_index, int to_play, float reward, float value,
                           int state_slot, std::span<const float> logits,
                           std::span<const Action> actions) {
  // Softmax over the given actions only: at the root this masks illegal moves.
  double max_logit = -std::numeric_limits<double>::infinity();
  for (Action a : actions) max_logit = std::max<double>(max_logit, logits[a]);
  std::vector<double>& exps = softmax_scratch_;  // reused: expansion is the search's hot path
  exps.resize(actions.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < actions.size(); ++i)
    sum += exps[i] = std::exp(logits[actions[i]] - max_logit);
  const int first_child = static_cast<int>(tree.nodes.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    Node child;
    child.prior = static_cast<float>(exps[i] / sum);
    child.action = actions[i];
    tree.nodes.push_back(child);
  }
  Node& node = tree.nodes[node_index];  // after push_back: the vector may have moved
  node.to_play = to_play;
  node.reward = reward;
  node.network_value = value;
  node.state_slot = state_slot;
  node.first_child = first_child;
  node.num_children = static_cast<int>(actions.size());
}

void BatchedSearch::add_exploration_noise(SearchTree& tree, std::mt19937_64& rng) const {
  Node& root = tree.nodes[0];
  std::gamma_distribution<double> gamma(params_.root_dirichlet_alpha, 1.0);
  std::vector<double> noise(root.num_children);
  double sum = 0.0;
  for (double& n : noise) sum += n = gamma(rng);
  const double fraction = params_.root_exploration_fraction;
  for (int i = 0; i < root.num_children; ++i) {
    const double n = sum > 0.0 ? noise[i] / sum : 1.0 / root.num_children;
    Node& child = tree.nodes[root.first_child + i];
    child.prior = static_cast<float>(child.prior * (1.0 - fraction) + n * fraction);
  }
}

void BatchedSearch::start_gumbel(SearchTree& tree, std::mt19937_64& rng) const {
  const int children = tree.nodes[0].num_children;
  tree.root_gumbel.assign(children, 0.0);
  if (params_.add_exploration_noise) {
    std::extreme_value_distribution<double> gumbel(0.0, 1.0);
    for (double& g : tree.root_gumbel) g = gumbel(rng);
  }
  tree.considered_visits = considered_visit_sequence(
      std::min(params_.gumbel_max_considered_actions, children), params_.num_simulations);
}

int BatchedSearch::select_child(const SearchTree& tree, int node_index, int simulation) {
  if (!gumbel_) return puct_child(tree, node_index);
  if (node_index != 0)
    return gumbel_interior_child(tree, node_index, params_, num_players_, gumbel_scratch_);
  return gumbel_root_child(tree, tree.considered_visits[simulation - 1], tree.root_gumbel, params_,
                           num_players_, gumbel_scratch_);
}

int BatchedSearch::puct_child(const SearchTree& tree, int node_index) const {
  const Node& node = tree.nodes[node_index];
  // Ties go to the higher prior, then the lower action: deterministic given the noise, and the
  // first simulation (where every score is 0) follows the policy instead of action order.
  const ExplorationTerms terms = exploration_terms(node, tree.stats, params_);
  int best = node.first_child;
  double best_score = -std::numeric_limits<double>::infinity();
  for (int c = node.first_child; c < node.first_child + node.num_children; ++c) {
    const double score = ucb_score(terms, tree.nodes[c], tree.stats, params_, num_players_);
    if (score > best_score ||
        (score == best_score && tree.nodes[c].prior > tree.nodes[best].prior)) {
      best_score = score;
      best = c;
    }
  }
  return best;
}

void BatchedSearch::backpropagate(SearchTree& tree, std::span<const int> path, double value,
                                  int to_play) const {
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    Node& node = tree.nodes[*it];
    if (num_players_ == 1) {
      node.value_sum += value;
      ++node.visit_count;
      tree.stats.update(node.reward + params_.discount * node.value());
      value = node.reward + params_.discount * value;
    } else {
      const bool same_player = node.to_play == to_play;
      node.value_sum += same_player ? value : -value;
      ++node.visit_count;
      tree.stats.update(node.reward + params_.discount * -node.value());
      value = (same_player ? -node.reward : node.reward) + params_.discount * value;
    }
  }
}

std::vector<SearchResult> BatchedSearch::run(Evaluator& evaluator,
                                             std::span<const SearchRoot> roots,
                                             std::span<std::mt19937_64> rngs) {
  const int B = static_cast<int>(roots.size());
  if (static_cast<int>(rngs.size()) != B) throw std::invalid_argument("one rng per root");
  const int A = action_space_size_;
  const int slots_per_tree = params_.num_simulations + 1;
  evaluator.reserve_states(B * slots_per_tree);

  std::vector<int> slots(B);
  std::vector<float> observations;
  for (int b = 0; b < B; ++b) {
    if (roots[b].legal_actions.empty())
      throw std::invalid_argument("search root has no legal action");
    slots[b] = b * slots_per_tree;
    observations.insert(observations.end(), roots[b].observation.begin(),
                        roots[b].observation.end());
  }
  InferenceOutputs out;
  evaluator.initial_inference(observations, slots, out);

  SearchTree fresh;
  if (const auto& bounds = params_.known_value_bounds)
    fresh.stats = MinMaxStats((*bounds)[0], (*bounds)[1]);
  trees_.assign(B, fresh);
  std::vector<SearchResult> results(B);
  for (int b = 0; b < B; ++b) {
    SearchTree& tree = trees_[b];
    tree.nodes.reserve(1 + static_cast<std::size_t>(slots_per_tree) * A);
    tree.nodes.emplace_back();
    expand(tree, 0, roots[b].to_play, 0.0f, out.values[b], slots[b],
           std::span<const float>(out.policy_logits).subspan(static_cast<std::size_t>(b) * A, A),
           roots[b].legal_actions);
    if (gumbel_) {
      start_gumbel(tree, rngs[b]);
    } else if (params_.add_exploration_noise) {
      add_exploration_noise(tree, rngs[b]);
    }
    results[b].predicted_value = out.values[b];
  }

  std::vector<std::vector<int>> paths(B);
  std::vector<int> leaf_to_play(B), parent_slots(B);
  std::vector<Action> actions(B);
  for (int sim = 1; sim <= params_.num_simulations; ++sim) {
    for (int b = 0; b < B; ++b) {
      SearchTree& tree = trees_[b];
      std::vector<int>& path = paths[b];
      path.assign(1, 0);
      int player = roots[b].to_play;
      while (tree.nodes[path.back()].expanded()) {
        path.push_back(select_child(tree, path.back(), sim));
        player = (player + 1) % num_players_;
      }
      leaf_to_play[b] = player;
      parent_slots[b] = tree.nodes[path[path.size() - 2]].state_slot;
      actions[b] = tree.nodes[path.back()].action;
      slots[b] = b * slots_per_tree + sim;
    }
    evaluator.recurrent_inference(parent_slots, actions, slots, out);
    for (int b = 0; b < B; ++b) {
      SearchTree& tree = trees_[b];
      expand(tree, paths[b].back(), leaf_to_play[b], out.rewards[b], out.values[b], slots[b],
             std::span<const float>(out.policy_logits).subspan(static_cast<std::size_t>(b) * A, A),
             all_actions_);
      backpropagate(tree, paths[b], out.values[b], leaf_to_play[b]);
    }
  }

  for (int b = 0; b < B; ++b) finish(trees_[b], results[b]);
  return results;
}

void BatchedSearch::finish(const SearchTree& tree, SearchResult& result) {
  const int A = action_space_size_;
  const Node& root = tree.nodes[0];
  result.visit_counts.assign(A, 0);
  result.action_values.assign(A, 0.0f);
  result.policy_target.assign(A, 0.0f);
  int max_visits = 0;
  for (int c = root.first_child; c < root.first_child + root.num_children; ++c) {
    const Node& child = tree.nodes[c];
    result.visit_counts[child.action] = child.visit_count;
    max_visits = std::max(max_visits, child.visit_count);
    if (child.visit_count == 0) continue;
    result.action_values[child.action] =
        static_cast<float>(value_for_parent(child, params_.discount, num_players_));
  }
  result.root_value = static_cast<float>(root.value());
  if (!gumbel_) {
    result.policy_target = visit_distribution(result.visit_counts);
    return;
  }
  node_sigma_completed_q(tree, 0, params_, num_players_, gumbel_scratch_);
  improved_policy(tree, 0, gumbel_scratch_);
  for (int i = 0; i < root.num_children; ++i) {
    result.policy_target[tree.nodes[root.first_child + i].action] =
        static_cast<float>(gumbel_scratch_.policy[i]);
  }
  // The most visited survivor of the halving, ranked as the halving ranks them.
  result.chosen_action = tree.nodes[gumbel_root_child(tree, max_visits, tree.root_gumbel, params_,
                                                      num_players_, gumbel_scratch_)]
                             .action;
}

}  // namespace muzero
