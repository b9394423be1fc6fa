#include "self_play/gumbel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace muzero {
namespace {

constexpr double kMinSpread = 1e-8;  // keeps the rescaling finite when every Q is equal

double log_prior(const Node& child) {
  return std::log(std::max(static_cast<double>(child.prior), 1e-30));
}

}  // namespace

std::vector<int> considered_visit_sequence(int num_considered, int num_simulations) {
  if (num_simulations < 0) throw std::invalid_argument("negative simulation count");
  std::vector<int> sequence;
  sequence.reserve(num_simulations);
  if (num_considered <= 1) {
    for (int k = 0; k < num_simulations; ++k) sequence.push_back(k);
    return sequence;
  }
  const int rounds = static_cast<int>(std::ceil(std::log2(static_cast<double>(num_considered))));
  int survivors = num_considered;
  int visits = 0;  // every survivor has this many visits at the start of a pass
  while (static_cast<int>(sequence.size()) < num_simulations) {
    const int passes = std::max(1, num_simulations / (rounds * survivors));
    for (int p = 0; p < passes; ++p, ++visits) sequence.insert(sequence.end(), survivors, visits);
    survivors = std::max(2, survivors / 2);
  }
  sequence.resize(num_simulations);
  return sequence;
}

void sigma_completed_q(std::span<const double> q, std::span<const int> visits,
                       std::span<const double> priors, double raw_value, double c_visit,
                       double c_scale, double min_spread, std::vector<double>& sigma) {
  const std::size_t n = q.size();
  if (visits.size() != n || priors.size() != n)
    throw std::invalid_argument("sigma_completed_q: spans of different sizes");
  double total_visits = 0, visited_prior = 0, weighted_q = 0;
  int max_visits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    max_visits = std::max(max_visits, visits[i]);
    if (visits[i] == 0) continue;
    total_visits += visits[i];
    visited_prior += priors[i];
    weighted_q += priors[i] * q[i];
  }
  double mixed = raw_value;
  if (total_visits > 0 && visited_prior > 0) {
    mixed = (raw_value + total_visits * (weighted_q / visited_prior)) / (1.0 + total_visits);
  }
  sigma.resize(n);
  for (std::size_t i = 0; i < n; ++i) sigma[i] = visits[i] > 0 ? q[i] : mixed;
  if (n == 0) return;
  const auto [lo, hi] = std::minmax_element(sigma.begin(), sigma.end());
  const double low = *lo, spread = std::max({*hi - low, min_spread, kMinSpread});
  const double scale = (c_visit + max_visits) * c_scale;
  for (double& s : sigma) s = scale * (s - low) / spread;
}

void node_sigma_completed_q(const SearchTree& tree, int node_index, const SearchParams& params,
                            int num_players, GumbelScratch& scratch) {
  const Node& node = tree.nodes[node_index];
  const int n = node.num_children;
  scratch.q.resize(n);
  scratch.priors.resize(n);
  scratch.visits.resize(n);
  for (int i = 0; i < n; ++i) {
    const Node& child = tree.nodes[node.first_child + i];
    scratch.visits[i] = child.visit_count;
    scratch.priors[i] = child.prior;
    scratch.q[i] =
        child.visit_count > 0 ? value_for_parent(child, params.discount, num_players) : 0.0;
  }
  const auto& bounds = params.known_value_bounds;
  sigma_completed_q(scratch.q, scratch.visits, scratch.priors, node.network_value,
                    params.gumbel_c_visit, params.gumbel_c_scale,
                    bounds ? (*bounds)[1] - (*bounds)[0] : 0.0, scratch.sigma);
}

void improved_policy(const SearchTree& tree, int node_index, GumbelScratch& scratch) {
  const Node& node = tree.nodes[node_index];
  std::vector<double>& policy = scratch.policy;
  policy.resize(node.num_children);
  double max_logit = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < node.num_children; ++i) {
    policy[i] = log_prior(tree.nodes[node.first_child + i]) + scratch.sigma[i];
    max_logit = std::max(max_logit, policy[i]);
  }
  double sum = 0;
  for (double& p : policy) sum += p = std::exp(p - max_logit);
  for (double& p : policy) p /= sum;
}

int gumbel_root_child(const SearchTree& tree, int considered_visits, std::span<const double> gumbel,
                      const SearchParams& params, int num_players, GumbelScratch& scratch) {
  const Node& root = tree.nodes[0];
  node_sigma_completed_q(tree, 0, params, num_players, scratch);
  int best = -1, best_any = root.first_child;
  double best_score = -std::numeric_limits<double>::infinity(), best_any_score = best_score;
  for (int i = 0; i < root.num_children; ++i) {
    const int c = root.first_child + i;
    const double score = gumbel[i] + log_prior(tree.nodes[c]) + scratch.sigma[i];
    if (score > best_any_score) best_any_score = score, best_any = c;
    if (tree.nodes[c].visit_count == considered_visits && score > best_score) {
      best_score = score;
      best = c;
    }
  }
  // The schedule and the final choice (asked for the maximum) always find a child with the
  // asked-for count; a caller asking for a count no child has gets the best child overall
  // rather than an invalid index.
  return best >= 0 ? best : best_any;
}

int gumbel_interior_child(const SearchTree& tree, int node_index, const SearchParams& params,
                          int num_players, GumbelScratch& scratch) {
  const Node& node = tree.nodes[node_index];
  node_sigma_completed_q(tree, node_index, params, num_players, scratch);
  improved_policy(tree, node_index, scratch);
  double denominator = 1.0;
  for (int c = node.first_child; c < node.first_child + node.num_children; ++c) {
    denominator += tree.nodes[c].visit_count;
  }
  int best = node.first_child;
  double best_score = -std::numeric_limits<double>::infinity();
  for (int i = 0; i < node.num_children; ++i) {
    const int c = node.first_child + i;
    const double score = scratch.policy[i] - tree.nodes[c].visit_count / denominator;
    if (score > best_score) {
      best_score = score;
      best = c;
    }
  }
  return best;
}

}  // namespace muzero
