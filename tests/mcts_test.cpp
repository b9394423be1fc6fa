#include "self_play/mcts.h"

#include <gtest/gtest.h>

#include <cmath>

#include "self_play/action_selection.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

using testing::LatentPath;
using testing::StubEvaluator;

// The node reached from the root by `actions`.
const Node& node_at(const SearchTree& tree, const std::vector<Action>& actions) {
  const Node* node = &tree.nodes[0];
  for (Action a : actions) {
    const Node* next = nullptr;
    for (int c = node->first_child; c < node->first_child + node->num_children; ++c) {
      if (tree.nodes[c].action == a) next = &tree.nodes[c];
    }
    if (next == nullptr) throw std::logic_error("no such child");
    node = next;
  }
  return *node;
}

SearchParams no_noise(int simulations, double discount) {
  SearchParams p;
  p.num_simulations = simulations;
  p.discount = discount;
  p.add_exploration_noise = false;
  return p;
}

std::vector<SearchResult> search_one(BatchedSearch& search, Evaluator& evaluator,
                                     std::vector<Action> legal, int to_play,
                                     std::uint64_t seed = 0) {
  const std::vector<float> observation{0.0f};
  SearchRoot root{observation, std::move(legal), to_play};
  std::vector<std::mt19937_64> rngs{std::mt19937_64(seed)};
  return search.run(evaluator, {&root, 1}, rngs);
}

// One player, 2 actions, discount 0.5, 4 simulations. Root priors 0.8 / 0.2 (logits ln 4, 0),
// uniform below; every value is 0 and a transition by action 1 earns reward 1.
// Worked by hand (pb_c(N) = ln((N + 19653) / 19652) + 1.25):
//  1. N=0: all scores 0, tie to the higher prior: a0. [0] gets r=0, v=0.
//  2. N=1: a0 = pb*1/2*0.8 + 0 = 0.50 > a1 = pb*1*0.2 = 0.25: a0; under [0] a tie: [0,0].
//  3. N=2: a0 = pb*sqrt2/3*0.8 = 0.471 > a1 = 0.354; under [0]: [0,0] = 0.442, [0,1] = 0.884,
//     so [0,1] (r=1). Backup: [0,1] value 0, [0] sum 1 (n 3), root sum 0.5 (n 3); Q range [0, 1].
//  4. N=3: a0 = 0.433 + Q(0 + 0.5 * 1/3) = 0.600 > a1 = 0.433; under [0]: [0,1] = 0.541 + 1 beats
//     [0,0] = 0.541; under [0,1] a tie: [0,1,0]. Backup adds 1 to [0] and 0.5 to the root.
TEST(Mcts, OnePlayerTreeMatchesHandComputation) {
  StubEvaluator evaluator(
      2, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath& p) { return p.actions.back() == 1 ? 1.0f : 0.0f; },
      [](const LatentPath& p) {
        return p.actions.empty() ? std::vector<float>{std::log(4.0f), 0.0f}
                                 : std::vector<float>{0.0f, 0.0f};
      });
  BatchedSearch search(no_noise(4, 0.5), 1, 2);
  const SearchResult result = search_one(search, evaluator, {0, 1}, 0)[0];
  EXPECT_EQ(result.visit_counts, (std::vector<int>{4, 0}));
  EXPECT_NEAR(result.root_value, 0.25, 1e-6);
  ASSERT_EQ(result.action_values.size(), 2u);
  EXPECT_NEAR(result.action_values[0], 0.0 + 0.5 * 0.5, 1e-6);  // r[0] + discount * v[0]
  EXPECT_EQ(result.action_values[1], 0.0f);                     // never visited

  const SearchTree& tree = search.trees()[0];
  EXPECT_NEAR(node_at(tree, {0}).prior, 0.8, 1e-6);
  EXPECT_EQ(node_at(tree, {0}).visit_count, 4);
  EXPECT_NEAR(node_at(tree, {0}).value(), 0.5, 1e-9);
  EXPECT_EQ(node_at(tree, {0, 0}).visit_count, 1);
  EXPECT_EQ(node_at(tree, {0, 1}).visit_count, 2);
  EXPECT_NEAR(node_at(tree, {0, 1}).reward, 1.0, 1e-9);
  EXPECT_NEAR(node_at(tree, {0, 1}).value(), 0.0, 1e-9);
  EXPECT_EQ(node_at(tree, {0, 1, 0}).visit_count, 1);
}

// Two players, 2 actions, discount 1, 3 simulations, uniform priors, no rewards. Values are for
// the player to move at that state: v[0] = -1 (good for the root player), v[0,0] = 0.5,
// v[0,1] = -1. Worked by hand:
//  1. tie: a0. Backup: [0] sum -1; root sum +1; Q range [-1, 1].
//  2. N=1: a0 = 0.313 + norm(-(-1)) = 1.313 > a1 = 0.625; under [0] a tie: [0,0] (player 0 to
//     move, v 0.5). Backup: [0] sum -1.5 (n 2), root sum 1.5 (n 2).
//  3. N=2: a0 = 0.295 + norm(0.75) = 1.170 > a1 = 0.884; under [0] (player 1 chooses):
//     [0,0] = 0.442 + norm(-0.5) = 0.692 < [0,1] = 0.884. v[0,1] = -1 for player 0, so
//     [0] gains +1 (sum -0.5) and the root -1 (sum 0.5, n 3).
// Without the sign flips, step 2 would pick a1 (its value term for a0 would be norm(-1) = 0).
TEST(Mcts, TwoPlayerTreeMatchesHandComputation) {
  StubEvaluator evaluator(
      2,
      [](const LatentPath& p) {
        if (p.actions == std::vector<Action>{0}) return -1.0f;
        if (p.actions == std::vector<Action>{1}) return 1.0f;
        if (p.actions == std::vector<Action>{0, 0}) return 0.5f;
        if (p.actions == std::vector<Action>{0, 1}) return -1.0f;
        return 0.0f;
      },
      [](const LatentPath&) { return 0.0f; },
      [](const LatentPath&) {
        return std::vector<float>{0.0f, 0.0f};
      });
  BatchedSearch search(no_noise(3, 1.0), 2, 2);
  const SearchResult result = search_one(search, evaluator, {0, 1}, 0)[0];
  EXPECT_EQ(result.visit_counts, (std::vector<int>{3, 0}));
  EXPECT_NEAR(result.root_value, 0.5 / 3, 1e-6);
  // [0]'s mean value is -0.5 / 3 for player 1, so +0.5 / 3 for the root's player.
  EXPECT_NEAR(result.action_values[0], 0.5 / 3, 1e-6);

  const SearchTree& tree = search.trees()[0];
  EXPECT_EQ(node_at(tree, {0}).to_play, 1);
  EXPECT_EQ(node_at(tree, {0, 0}).to_play, 0);
  EXPECT_EQ(node_at(tree, {0}).visit_count, 3);
  EXPECT_NEAR(node_at(tree, {0}).value_sum, -0.5, 1e-9);
  EXPECT_EQ(node_at(tree, {0, 0}).visit_count, 1);
  EXPECT_EQ(node_at(tree, {0, 1}).visit_count, 1);
  EXPECT_NEAR(node_at(tree, {0, 1}).value_sum, -1.0, 1e-9);
}

// One player, 2 actions, uniform priors, discount 1, 2 simulations; every value is 0 and action
// 1 earns reward 1. 1: all scores 0, equal priors: a0 (Q 0). 2: one Q seen, so no
// normalisation: a0 = pb(1) * 1/2 * 0.5 + 0 = 0.31 < a1 = pb(1) * 0.5 = 0.63: a1 (Q 1). The
// visits tie 1-1 and the action values (0, 1) decide for a1.
TEST(Mcts, EquallyVisitedActionsAreToldApartByTheirValues) {
  StubEvaluator evaluator(
      2, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath& p) { return p.actions.back() == 1 ? 1.0f : 0.0f; },
      [](const LatentPath&) {
        return std::vector<float>{0.0f, 0.0f};
      });
  BatchedSearch search(no_noise(2, 1.0), 1, 2);
  const SearchResult result = search_one(search, evaluator, {0, 1}, 0)[0];
  EXPECT_EQ(result.visit_counts, (std::vector<int>{1, 1}));
  EXPECT_EQ(result.action_values, (std::vector<float>{0.0f, 1.0f}));
  std::mt19937_64 rng(0);
  EXPECT_EQ(select_action(result.visit_counts, 0.0, rng, result.action_values), 1);
}

// Illegal root actions get no child and no visit, even when the network likes them most; the
// noise is spread over the legal actions only. Below the root every action is searched.
TEST(Mcts, MasksIllegalActionsAtTheRoot) {
  StubEvaluator evaluator(
      3, [](const LatentPath&) { return 0.1f; }, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath&) {
        return std::vector<float>{10.0f, 0.0f, 0.0f};
      });
  SearchParams params;
  params.num_simulations = 20;
  BatchedSearch search(params, 1, 3);
  const SearchResult result = search_one(search, evaluator, {1, 2}, 0, 42)[0];
  EXPECT_EQ(result.visit_counts[0], 0);
  EXPECT_EQ(result.visit_counts[1] + result.visit_counts[2], 20);

  const SearchTree& tree = search.trees()[0];
  EXPECT_EQ(tree.nodes[0].num_children, 2);
  double prior_sum = 0;
  for (int c = 0; c < 2; ++c) prior_sum += tree.nodes[tree.nodes[0].first_child + c].prior;
  EXPECT_NEAR(prior_sum, 1.0, 1e-6);
  const std::vector<Action> path = {result.visit_counts[1] > 0 ? 1 : 2};
  const Node& expanded = node_at(tree, path);
  EXPECT_EQ(expanded.num_children, 3);  // no masking inside the tree
}

TEST(Mcts, DirichletNoiseChangesRootPriorsAndKeepsThemADistribution) {
  StubEvaluator evaluator(
      4, [](const LatentPath&) { return 0.0f; }, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath&) {
        return std::vector<float>{0.0f, 0.0f, 0.0f, 0.0f};
      });
  SearchParams params;
  params.num_simulations = 1;
  params.root_exploration_fraction = 0.25;
  BatchedSearch search(params, 1, 4);
  search_one(search, evaluator, {0, 1, 2, 3}, 0, 7);
  const SearchTree& tree = search.trees()[0];
  double sum = 0, max_deviation = 0;
  for (int c = 1; c <= 4; ++c) {
    const double prior = tree.nodes[c].prior;
    sum += prior;
    max_deviation = std::max(max_deviation, std::abs(prior - 0.25));
    EXPECT_GE(prior, 0.75 * 0.25 - 1e-6);  // at least (1 - fraction) of the network prior
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_GT(max_deviation, 1e-3);
}

// B roots searched together give exactly what each gives alone, with one network call per
// simulation for all of them, for both search algorithms (with their noise).
TEST(Mcts, LockStepBatchEqualsSeparateSearches) {
  auto hash = [](const LatentPath& p) {
    double h = p.root * 7.0;
    for (std::size_t i = 0; i < p.actions.size(); ++i) h += (p.actions[i] + 1) * (i + 1.3);
    return h;
  };
  auto make_evaluator = [&] {
    return StubEvaluator(
        3, [&](const LatentPath& p) { return static_cast<float>(std::sin(hash(p))); },
        [&](const LatentPath& p) { return static_cast<float>(0.5 * std::cos(hash(p))); },
        [&](const LatentPath& p) {
          const double h = hash(p);
          return std::vector<float>{static_cast<float>(std::sin(h * 3)),
                                    static_cast<float>(std::cos(h * 5)), 0.2f};
        });
  };
  for (const char* algorithm : {"puct", "gumbel"}) {
    SearchParams params;
    params.num_simulations = 30;
    params.algorithm = algorithm;
    for (int players = 1; players <= 2; ++players) {
      const std::vector<std::vector<float>> observations{{0.1f}, {0.2f}, {0.3f}};
      const std::vector<std::vector<Action>> legal{{0, 1, 2}, {0, 2}, {1, 2}};
      std::vector<SearchRoot> roots;
      std::vector<std::mt19937_64> rngs;
      for (int b = 0; b < 3; ++b) {
        roots.push_back({observations[b], legal[b], b % players});
        rngs.emplace_back(100 + b);
      }
      StubEvaluator batched_evaluator = make_evaluator();
      BatchedSearch batched(params, players, 3);
      const std::vector<SearchResult> together = batched.run(batched_evaluator, roots, rngs);
      EXPECT_EQ(batched_evaluator.batch_sizes, std::vector<int>(31, 3));

      for (int b = 0; b < 3; ++b) {
        StubEvaluator single_evaluator = make_evaluator();
        BatchedSearch single(params, players, 3);
        std::vector<std::mt19937_64> one_rng{std::mt19937_64(100 + b)};
        const SearchResult alone = single.run(single_evaluator, {&roots[b], 1}, one_rng)[0];
        EXPECT_EQ(alone.visit_counts, together[b].visit_counts) << "root " << b;
        EXPECT_FLOAT_EQ(alone.root_value, together[b].root_value) << "root " << b;
        EXPECT_FLOAT_EQ(alone.predicted_value, together[b].predicted_value);
        EXPECT_EQ(alone.policy_target, together[b].policy_target) << "root " << b;
        EXPECT_EQ(alone.chosen_action, together[b].chosen_action) << "root " << b;
      }
    }
  }
}

// Known bounds 0..1 (the paper's KnownBounds): values normalise within them from the start,
// and a value beyond them widens the range: after 2.0, [0, 2].
TEST(Mcts, MinMaxStatsStartFromKnownBounds) {
  MinMaxStats stats(0.0, 1.0);
  EXPECT_DOUBLE_EQ(stats.normalize(0.3), 0.3);
  stats.update(0.5);
  EXPECT_DOUBLE_EQ(stats.normalize(0.3), 0.3);
  stats.update(2.0);
  EXPECT_DOUBLE_EQ(stats.normalize(0.5), 0.25);
}

// The search starts every tree's statistics from SearchParams::known_value_bounds: after a
// search whose every value is 0, 0.5 still normalises to 0.5 within bounds 0..1. Bounds that
// are not a range are refused.
TEST(Mcts, SearchTreesStartFromKnownValueBounds) {
  StubEvaluator evaluator = testing::uniform_evaluator(2);
  SearchParams params = no_noise(8, 1.0);
  params.known_value_bounds = std::array<double, 2>{0.0, 1.0};
  BatchedSearch search(params, 1, 2);
  search_one(search, evaluator, {0, 1}, 0);
  EXPECT_DOUBLE_EQ(search.trees()[0].stats.normalize(0.5), 0.5);
  params.known_value_bounds = std::array<double, 2>{1.0, 1.0};
  EXPECT_THROW(BatchedSearch(params, 1, 2), std::invalid_argument);
}

TEST(Mcts, MinMaxStatsNormalizeOnlyOnceARangeIsKnown) {
  MinMaxStats stats;
  EXPECT_DOUBLE_EQ(stats.normalize(0.3), 0.3);
  stats.update(2.0);
  EXPECT_DOUBLE_EQ(stats.normalize(0.3), 0.3);
  stats.update(-2.0);
  EXPECT_DOUBLE_EQ(stats.normalize(1.0), 0.75);
}

// exploration_terms + ucb_score by hand. Parent: 4 visits, value sum 2 (mean 0.5); Q range
// [0, 1]. pb_c = ln((4 + 19653) / 19652) + 1.25 = 1.2502544, sqrt(N) = 2.
//   visited child, prior 0.3, 2 visits, value 0.2: 1.2502544 * 2 / 3 * 0.3 + 0.2 = 0.4500509
//   unvisited child, prior 0.1: 1.2502544 * 2 * 0.1 = 0.2500509, plus 0 ("min") or the
//   parent's normalised mean 0.5 ("parent"): 0.2500509 / 0.7500509.
// So "min" prefers the visited child and "parent" the unvisited one.
TEST(Mcts, UnvisitedChildScoresMatchHandComputation) {
  MinMaxStats stats;
  stats.update(0.0);
  stats.update(1.0);
  Node parent;
  parent.visit_count = 4;
  parent.value_sum = 2.0;
  parent.network_value = -0.9f;  // used only before the parent's first visit
  Node visited;
  visited.prior = 0.3f;
  visited.visit_count = 2;
  visited.value_sum = 0.4;
  Node unvisited;
  unvisited.prior = 0.1f;
  SearchParams params;
  params.discount = 1.0;
  for (const std::string rule : {"min", "parent"}) {
    params.unvisited_value = rule;
    const ExplorationTerms terms = exploration_terms(parent, stats, params);
    EXPECT_NEAR(terms.pb_c, 1.2502544, 1e-6);
    EXPECT_NEAR(terms.unvisited_score, rule == "min" ? 0.0 : 0.5, 1e-12) << rule;
    EXPECT_NEAR(ucb_score(terms, visited, stats, params, 1), 0.4500509, 1e-6) << rule;
    EXPECT_NEAR(ucb_score(terms, unvisited, stats, params, 1),
                rule == "min" ? 0.2500509 : 0.7500509, 1e-6)
        << rule;
  }
  // Before its first visit the parent's own network value stands in: normalize(-0.9) = 0 here.
  parent.visit_count = 0;
  parent.value_sum = 0.0;
  params.unvisited_value = "parent";
  stats.update(-1.0);  // range [-1, 1]: -0.9 -> 0.05
  EXPECT_NEAR(exploration_terms(parent, stats, params).unvisited_score, 0.05, 1e-6);
}

// One player, discount 1, 16 simulations. Root priors 0.9 / 0.1; action 0 earns 0.5, action 1
// earns 1 (first step only), every value 0. After the first simulation a0's Q is the largest
// seen (normalised 1). "min" scores the unvisited a1 at 0, so it is tried only once
// 1.25 * sqrt(N) * (0.1 - 0.9 / (N + 1)) > 1, about N = 100. "parent" scores it at the root's
// mean (0.5, normalised 1, like a0), so the prior terms alone decide and a1 is tried once
// 0.1 > 0.9 / (N + 1), at N = 9 or 10, and then found better.
TEST(Mcts, UnvisitedParentValueTriesALowPriorMoveSooner) {
  StubEvaluator evaluator(
      2, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath& p) {
        if (p.actions.size() != 1) return 0.0f;
        return p.actions[0] == 1 ? 1.0f : 0.5f;
      },
      [](const LatentPath& p) {
        return p.actions.empty() ? std::vector<float>{std::log(9.0f), 0.0f}
                                 : std::vector<float>{0.0f, 0.0f};
      });
  SearchParams params = no_noise(16, 1.0);
  BatchedSearch min_search(params, 1, 2);
  const SearchResult with_min = search_one(min_search, evaluator, {0, 1}, 0)[0];
  EXPECT_EQ(with_min.visit_counts, (std::vector<int>{16, 0}));

  params.unvisited_value = "parent";
  BatchedSearch parent_search(params, 1, 2);
  const SearchResult with_parent = search_one(parent_search, evaluator, {0, 1}, 0)[0];
  EXPECT_GE(with_parent.visit_counts[0], 9);
  EXPECT_LE(with_parent.visit_counts[0], 10 + 3);
  EXPECT_GE(with_parent.visit_counts[1], 3);
  EXPECT_NEAR(with_parent.action_values[1], 1.0, 1e-6);

  params.unvisited_value = "max";
  EXPECT_THROW(BatchedSearch(params, 1, 2), std::invalid_argument);
}

}  // namespace
}  // namespace muzero
