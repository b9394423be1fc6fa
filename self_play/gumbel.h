#pragma once
// The search rules of Gumbel MuZero (Danihelka et al., "Policy improvement by planning with
// Gumbel", ICLR 2022), used when SearchParams::algorithm is "gumbel":
//  - the root tries the top m = min(gumbel_max_considered_actions, legal) actions by
//    gumbel + logit, then halves them by gumbel + logit + sigma(completed Q) until the
//    simulations run out (sequential halving), so every considered move is evaluated by the
//    model before one is chosen, whatever the prior thinks of it;
//  - below the root, the child that brings the visit distribution closest to the improved
//    policy softmax(logit + sigma(completed Q)) is visited (deterministic);
//  - the policy target is that improved policy at the root, not the visit counts.
// Logits are log priors: softmax is shift-invariant, so log(prior) stands in for the network's
// logits of the same node.
#include <span>
#include <vector>

#include "self_play/mcts.h"

namespace muzero {

// Sequential halving's schedule for `num_considered` root actions: entry k (of num_simulations)
// is the visit count that the root action chosen at simulation k must have. Each round gives
// every surviving action max(1, simulations / (ceil(log2 m) * survivors)) more visits, then
// keeps the better half (at least 2). num_considered <= 1: 0, 1, 2, ...
std::vector<int> considered_visit_sequence(int num_considered, int num_simulations);

// Q values completed and transformed, for one node's n children (all spans have n entries):
// q (child reward + discount * value, for the node's player; read only where visits > 0),
// visits, priors (summing to 1), raw_value (the network's value of the node). Unvisited
// children get the mixed value (raw_value + sum(visits) * prior-weighted mean visited q) /
// (1 + sum(visits)); all are min-max rescaled over the children to [0, 1], dividing by their
// spread or by `min_spread` where that is larger (the width of known value bounds; 0 for
// mctx's rescaling), then scaled by (c_visit + max visits) * c_scale. Writes n values to `sigma`.
void sigma_completed_q(std::span<const double> q, std::span<const int> visits,
                       std::span<const double> priors, double raw_value, double c_visit,
                       double c_scale, double min_spread, std::vector<double>& sigma);

// sigma_completed_q for the children of tree.nodes[node_index], into scratch.sigma.
void node_sigma_completed_q(const SearchTree& tree, int node_index, const SearchParams& params,
                            int num_players, GumbelScratch& scratch);

// softmax(log prior + scratch.sigma) over the children of tree.nodes[node_index], into
// scratch.policy; scratch.sigma must be that node's (node_sigma_completed_q).
void improved_policy(const SearchTree& tree, int node_index, GumbelScratch& scratch);

// The root child (a node index) to visit when the chosen action must have `considered_visits`
// visits: the best gumbel + log prior + sigma among the root children with exactly that many.
// gumbel: one value per root child (zeros without exploration noise).
int gumbel_root_child(const SearchTree& tree, int considered_visits, std::span<const double> gumbel,
                      const SearchParams& params, int num_players, GumbelScratch& scratch);

// The child (a node index) of an interior node to visit: argmax of improved policy -
// visits / (1 + total visits); ties to the lower action.
int gumbel_interior_child(const SearchTree& tree, int node_index, const SearchParams& params,
                          int num_players, GumbelScratch& scratch);

}  // namespace muzero
