#pragma once
// MuZero's Monte-Carlo tree search over the learned model, as in the paper's pseudocode and
// muzero-general: pUCT selection with min-max normalised values, Dirichlet noise at the root,
// legal-action masking at the root only, and sign flips between the two players of a
// two-player game. Or, with algorithm "gumbel", Gumbel MuZero's rules (self_play/gumbel.h).
// B roots are searched in lock-step so every simulation is one batched network call for all B
// leaves.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "games/game.h"
#include "self_play/evaluator.h"

namespace muzero {

struct SearchParams {
  int num_simulations = 50;
  double discount = 0.997;
  double pb_c_base = 19652.0;
  double pb_c_init = 1.25;
  double root_dirichlet_alpha = 0.25;
  double root_exploration_fraction = 0.25;
  bool add_exploration_noise = true;  // Dirichlet noise (puct) or Gumbel noise (gumbel)
  std::string algorithm = "puct";     // "puct" (MuZero) or "gumbel" (Gumbel MuZero)
  // puct: the value score of a child not yet visited. "min": 0, the lowest after min-max
  // normalisation (the paper's pseudocode, muzero-general). "parent": the parent's mean value
  // so far, normalised as the visited children's are (mctx's MuZero policy).
  std::string unvisited_value = "min";
  int gumbel_max_considered_actions = 16;
  double gumbel_c_visit = 50.0;
  double gumbel_c_scale = 0.1;
  // The lowest and highest value a position can have, where the game knows them (the paper's
  // KnownBounds: -1 and 1 for a board game, 0 and 1 for a goal reward of at most 1). Value
  // normalisation then never stretches a range narrower than this to [0, 1]: without it, a
  // model that has seen no reward yet has values that differ only by noise, and the rescaling
  // makes that noise a strong preference (Gumbel's self-play then repeats one move for ever).
  std::optional<std::array<double, 2>> known_value_bounds;
};

struct SearchRoot {
  std::span<const float> observation;
  std::vector<Action> legal_actions;  // non-empty
  int to_play = 0;
};

struct SearchResult {
  std::vector<int> visit_counts;  // action_space_size; 0 for illegal actions
  // action_space_size: each visited root child's reward + discount * value, for the root's
  // player; 0 where unvisited. Breaks ties between equally visited actions.
  std::vector<float> action_values;
  // action_space_size: what the policy head learns from this search. puct: the visit
  // distribution; gumbel: the improved policy softmax(logit + sigma(completed Q)).
  std::vector<float> policy_target;
  // gumbel only: the move the search chose (with Gumbel noise when exploring). puct leaves the
  // choice to the caller, by visit counts and temperature.
  std::optional<Action> chosen_action;
  float root_value = 0.0f;       // mean value of the root after the search, for its player
  float predicted_value = 0.0f;  // the network's value for the root observation
};

// Tracks the range of Q values seen in one tree, to map them into [0, 1].
class MinMaxStats {
 public:
  MinMaxStats() = default;
  // Starts from known bounds (SearchParams::known_value_bounds), as the paper's pseudocode
  // does: the range only widens from there.
  MinMaxStats(double known_min, double known_max) : min_(known_min), max_(known_max) {}
  void update(double value);
  double normalize(double value) const;

 private:
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

struct Node {
  float prior = 0.0f;
  float reward = 0.0f;
  float network_value = 0.0f;  // the network's value of this state, for its player to move
  double value_sum = 0.0;
  int visit_count = 0;
  int to_play = 0;
  Action action = 0;     // the action that leads here from the parent
  int first_child = -1;  // children are stored contiguously
  int num_children = 0;
  int state_slot = -1;  // evaluator slot of this node's latent state, once expanded
  bool expanded() const { return num_children > 0; }
  double value() const { return visit_count == 0 ? 0.0 : value_sum / visit_count; }
};

// The parts of the pUCT score that depend only on the parent, computed once per selection:
// pb_c = ln((N + c2 + 1) / c2) + c1 and sqrt(N), for N parent visits, and the value score of
// an unvisited child (SearchParams::unvisited_value; "parent" uses the parent's network value
// before its first visit).
struct ExplorationTerms {
  double pb_c = 0;
  double sqrt_visits = 0;
  double unvisited_score = 0;
};
ExplorationTerms exploration_terms(const Node& parent, const MinMaxStats& stats,
                                   const SearchParams& params);

// A visited child's value seen from its parent: reward + discount * value, the value negated
// in two-player games (every node's value is for the player to move there).
double value_for_parent(const Node& child, double discount, int num_players);

// pUCT score of `child` (muzero-general's ucb_score):
//   pb_c * sqrt(N) / (n + 1) * prior + normalized(reward + discount * value for the parent),
// the second term parent.unvisited_score while n = 0.
double ucb_score(const ExplorationTerms& parent, const Node& child, const MinMaxStats& stats,
                 const SearchParams& params, int num_players);

// Buffers that the Gumbel selection functions (self_play/gumbel.h) reuse from one selection to
// the next, so that the search loop does not allocate.
struct GumbelScratch {
  std::vector<double> q, priors, sigma, policy;
  std::vector<int> visits;
};

// One search tree; public for tests that inspect the tree after a search.
struct SearchTree {
  std::vector<Node> nodes;  // nodes[0] is the root
  MinMaxStats stats;
  std::vector<double> root_gumbel;     // gumbel: one Gumbel(0, 1) draw per root child, or zeros
  std::vector<int> considered_visits;  // gumbel: sequential halving's schedule
};

class BatchedSearch {
 public:
  BatchedSearch(SearchParams params, int num_players, int action_space_size);

  // Searches every root; rngs[i] supplies root i's exploration noise, so a root's result does
  // not depend on which other roots share the batch.
  std::vector<SearchResult> run(Evaluator& evaluator, std::span<const SearchRoot> roots,
                                std::span<std::mt19937_64> rngs);

  const std::vector<SearchTree>& trees() const { return trees_; }

 private:
  void expand(SearchTree& tree, int node_index, int to_play, float reward, float value,
              int state_slot, std::span<const float> logits, std::span<const Action> actions);
  void start_gumbel(SearchTree& tree, std::mt19937_64& rng) const;
  void finish(const SearchTree& tree, SearchResult& result);
  void add_exploration_noise(SearchTree& tree, std::mt19937_64& rng) const;
  void backpropagate(SearchTree& tree, std::span<const int> path, double value, int to_play) const;
  int select_child(const SearchTree& tree, int node_index, int simulation);
  int puct_child(const SearchTree& tree, int node_index) const;

  SearchParams params_;
  int num_players_;
  int action_space_size_;
  bool gumbel_;
  std::vector<SearchTree> trees_;
  std::vector<Action> all_actions_;
  std::vector<double> softmax_scratch_;
  GumbelScratch gumbel_scratch_;
};

}  // namespace muzero
