#include "self_play/gumbel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "games/tictactoe.h"
#include "self_play/action_selection.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

using testing::LatentPath;
using testing::StubEvaluator;

SearchParams gumbel_params(int simulations, bool noise) {
  SearchParams p;
  p.algorithm = "gumbel";
  p.num_simulations = simulations;
  p.discount = 1.0;
  p.add_exploration_noise = noise;
  p.gumbel_c_scale = 1.0;  // the paper's; the hand computations below use it
  return p;
}

SearchResult search_one(BatchedSearch& search, Evaluator& evaluator, std::vector<Action> legal,
                        int to_play, std::uint64_t seed = 0) {
  const std::vector<float> observation{0.0f};
  SearchRoot root{observation, std::move(legal), to_play};
  std::vector<std::mt19937_64> rngs{std::mt19937_64(seed)};
  return search.run(evaluator, {&root, 1}, rngs)[0];
}

// Worked by hand: m = 4, n = 8: ceil(log2 4) = 2 rounds; 8 / (2 * 4) = 1 pass of 4 actions at
// 0 visits, then the best 2 get 8 / (2 * 2) = 2 passes (at 1 and 2 visits).
// m = 7, n = 50 (Connect4): 3 rounds; 50 / 21 = 2 passes of 7, 50 / 9 = 5 passes of 3, then
// passes of 2 (50 / 6 = 8 each) until 50.
TEST(Gumbel, ConsideredVisitSequenceMatchesHandComputation) {
  EXPECT_EQ(considered_visit_sequence(4, 8), (std::vector<int>{0, 0, 0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(considered_visit_sequence(2, 5), (std::vector<int>{0, 0, 1, 1, 2}));
  EXPECT_EQ(considered_visit_sequence(1, 4), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(considered_visit_sequence(4, 2), (std::vector<int>{0, 0}));
  std::vector<int> connect4;
  for (int v = 0; v < 2; ++v) connect4.insert(connect4.end(), 7, v);
  for (int v = 2; v < 7; ++v) connect4.insert(connect4.end(), 3, v);
  for (int v = 7; v < 18; ++v) connect4.insert(connect4.end(), 2, v);
  connect4.resize(50);
  EXPECT_EQ(considered_visit_sequence(7, 50), connect4);
}

// q = (0.5, -, 1.0), visits (2, 0, 1), priors (0.5, 0.3, 0.2), raw value 0, c_visit 50,
// c_scale 0.1. Mixed value: (0 + 3 * (0.5 * 0.5 + 0.2 * 1.0) / 0.7) / 4 = 0.482143; completed
// (0.5, 0.482143, 1.0) rescale to (0.017857 / 0.517857, 0, 1), times (50 + 2) * 0.1 = 5.2.
TEST(Gumbel, SigmaOfCompletedQMatchesHandComputation) {
  std::vector<double> sigma{7.0};  // replaced, whatever it held
  sigma_completed_q(std::vector<double>{0.5, 123.0, 1.0}, std::vector<int>{2, 0, 1},
                    std::vector<double>{0.5, 0.3, 0.2}, 0.0, 50.0, 0.1, 0.0, sigma);
  ASSERT_EQ(sigma.size(), 3u);
  EXPECT_NEAR(sigma[0], 5.2 * 0.017857142857 / 0.517857142857, 1e-9);
  EXPECT_NEAR(sigma[1], 0.0, 1e-12);
  EXPECT_NEAR(sigma[2], 5.2, 1e-9);
  // Nothing visited: every Q completes to the raw value, and equal Qs transform to 0.
  sigma_completed_q(std::vector<double>{9.0, 9.0}, std::vector<int>{0, 0},
                    std::vector<double>{0.5, 0.5}, 0.7, 50.0, 1.0, 0.0, sigma);
  EXPECT_EQ(sigma, (std::vector<double>{0.0, 0.0}));
}

// The same completed Qs (0.5, 0.482143, 1.0) with known value bounds 2 wide: their spread
// 0.517857 is narrower, so they are divided by 2: (0.017857 / 2, 0, 0.517857 / 2) * 5.2.
// And Qs that differ only by a model's noise (0.0020 and 0.0031, both visited once): mctx's
// rescaling makes the gap the full (50 + 1) * 0.1 = 5.1 logits; with bounds 0..1 it stays
// 5.1 * 0.0011 = 0.00561.
TEST(Gumbel, KnownValueBoundsKeepNarrowQRangesNarrow) {
  std::vector<double> sigma;
  sigma_completed_q(std::vector<double>{0.5, 123.0, 1.0}, std::vector<int>{2, 0, 1},
                    std::vector<double>{0.5, 0.3, 0.2}, 0.0, 50.0, 0.1, 2.0, sigma);
  ASSERT_EQ(sigma.size(), 3u);
  EXPECT_NEAR(sigma[0], 5.2 * 0.017857142857 / 2.0, 1e-9);
  EXPECT_NEAR(sigma[1], 0.0, 1e-12);
  EXPECT_NEAR(sigma[2], 5.2 * 0.517857142857 / 2.0, 1e-9);
  const std::vector<double> noisy{0.0020, 0.0031};
  const std::vector<int> once{1, 1};
  const std::vector<double> even{0.5, 0.5};
  sigma_completed_q(noisy, once, even, 0.0025, 50.0, 0.1, 0.0, sigma);
  EXPECT_NEAR(sigma[1] - sigma[0], 5.1, 1e-9);
  sigma_completed_q(noisy, once, even, 0.0025, 50.0, 0.1, 1.0, sigma);
  EXPECT_NEAR(sigma[1] - sigma[0], 5.1 * 0.0011, 1e-9);
}

// Self-play in a game where no reward has been found yet: every reward is 0 and the values
// differ only by a model's noise (0.001 x the last action), the prior is uniform over 3 moves.
// Gumbel noise should then spread the moves as the prior does. Without bounds the rescaled
// noise outweighs the Gumbel draws: the move whose value noise is highest is chosen in 73% of
// 3000 seeded searches, not a third, and as the policy learns these choices the next searches
// lean further (in gridworld, self-play turned one way for ever: no goal in 8000 games). With
// bounds 0..1 each move is chosen in about a third (binomial sd 0.0086; +-0.05 is over 5 sd).
TEST(Gumbel, KnownValueBoundsKeepExplorationWhereValuesAreNoise) {
  StubEvaluator evaluator(
      3,
      [](const LatentPath& p) {
        return p.actions.empty() ? 0.0f : 0.001f * static_cast<float>(p.actions.back());
      },
      [](const LatentPath&) { return 0.0f; },
      [](const LatentPath&) { return std::vector<float>(3, 0.0f); });
  const int searches = 3000;
  for (const bool bounded : {false, true}) {
    SearchParams params = gumbel_params(20, true);
    params.gumbel_c_scale = 0.1;  // the default
    if (bounded) params.known_value_bounds = std::array<double, 2>{0.0, 1.0};
    BatchedSearch search(params, 1, 3);
    std::vector<int> chosen(3, 0);
    for (int s = 0; s < searches; ++s) {
      ++chosen[*search_one(search, evaluator, {0, 1, 2}, 0, 5000 + s).chosen_action];
    }
    if (bounded) {
      for (int a = 0; a < 3; ++a) {
        EXPECT_NEAR(static_cast<double>(chosen[a]) / searches, 1.0 / 3.0, 0.05) << "move " << a;
      }
    } else {
      EXPECT_GT(chosen[2], searches * 6 / 10);  // the highest noise wins
    }
  }
}

// A node with two children, priors 0.5 / 0.5, child 0 visited once with reward 1 (value 0),
// network value 0. Completed Q (1, (0 + 1) / 2 = 0.5) rescale to (1, 0). c_scale 1: sigma =
// (51, 0), the improved policy is all child 0, and 1 - 1/2 beats 0 - 0: child 0 again.
// c_scale 0.01: sigma = (0.51, 0), policy (0.6248, 0.3752); 0.1248 < 0.3752: child 1.
TEST(Gumbel, InteriorSelectionFollowsTheImprovedPolicy) {
  SearchTree tree;
  tree.nodes.resize(3);
  tree.nodes[0].first_child = 1;
  tree.nodes[0].num_children = 2;
  tree.nodes[0].visit_count = 2;
  for (int c = 1; c <= 2; ++c) {
    tree.nodes[c].prior = 0.5f;
    tree.nodes[c].action = c - 1;
  }
  tree.nodes[1].visit_count = 1;
  tree.nodes[1].reward = 1.0f;
  SearchParams params = gumbel_params(2, false);
  GumbelScratch scratch;
  EXPECT_EQ(gumbel_interior_child(tree, 0, params, 1, scratch), 1);
  node_sigma_completed_q(tree, 0, params, 1, scratch);
  EXPECT_NEAR(scratch.sigma[0], 51.0, 1e-9);
  params.gumbel_c_scale = 0.01;
  EXPECT_EQ(gumbel_interior_child(tree, 0, params, 1, scratch), 2);
  node_sigma_completed_q(tree, 0, params, 1, scratch);
  improved_policy(tree, 0, scratch);
  EXPECT_NEAR(scratch.policy[0], 1.0 / (1.0 + std::exp(-0.51)), 1e-6);
}

// One player, four actions, the prior sure of action 0 (logits 3, 0, 0, 0 everywhere), values 0,
// and only action 3 earns a reward (1). 8 simulations, no noise. Sequential halving visits
// every action once (schedule 0, 0, 0, 0), then ranks by log prior + sigma: action 3 (Q 1,
// sigma 51) and action 0 (best prior among Q 0) get the next visits (1, 1, then 2, 2). Final
// visits (3, 1, 1, 3); the choice among the most visited is action 3, and the improved policy
// puts nearly all its mass there. pUCT with the same budget never tries action 3.
TEST(Gumbel, SearchTriesEveryMoveAndFindsTheLowPriorWin) {
  StubEvaluator evaluator(
      4, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath& p) { return p.actions.back() == 3 ? 1.0f : 0.0f; },
      [](const LatentPath&) {
        return std::vector<float>{3.0f, 0.0f, 0.0f, 0.0f};
      });
  BatchedSearch gumbel(gumbel_params(8, false), 1, 4);
  const SearchResult result = search_one(gumbel, evaluator, {0, 1, 2, 3}, 0);
  EXPECT_EQ(result.visit_counts, (std::vector<int>{3, 1, 1, 3}));
  ASSERT_TRUE(result.chosen_action.has_value());
  EXPECT_EQ(*result.chosen_action, 3);
  EXPECT_GT(result.policy_target[3], 0.99f);
  EXPECT_NEAR(std::accumulate(result.policy_target.begin(), result.policy_target.end(), 0.0), 1.0,
              1e-6);
  std::mt19937_64 rng(0);
  EXPECT_EQ(move_after_search(result, 1.0, rng), 3);  // the search's choice, not a sample

  SearchParams puct = gumbel_params(8, false);
  puct.algorithm = "puct";
  BatchedSearch puct_search(puct, 1, 4);
  const SearchResult puct_result = search_one(puct_search, evaluator, {0, 1, 2, 3}, 0);
  EXPECT_EQ(puct_result.visit_counts[3], 0);
  EXPECT_FALSE(puct_result.chosen_action.has_value());
  EXPECT_EQ(puct_result.policy_target[0], 1.0f);  // the visit distribution
}

// Two players: Q at the root is for the root's player, so the state after action 1, which the
// network values -1 for the opponent to move there, is worth +1 to the root. Two simulations
// visit both actions; the prior prefers action 0 (value 0), the search picks action 1.
// Illegal action 2 gets no visit and no policy mass.
TEST(Gumbel, TwoPlayerValuesAreSeenFromTheRootPlayer) {
  StubEvaluator evaluator(
      3, [](const LatentPath& p) { return p.actions == std::vector<Action>{1} ? -1.0f : 0.0f; },
      [](const LatentPath&) { return 0.0f; },
      [](const LatentPath&) {
        return std::vector<float>{2.0f, 0.0f, 5.0f};
      });
  BatchedSearch search(gumbel_params(2, false), 2, 3);
  const SearchResult result = search_one(search, evaluator, {0, 1}, 1);
  EXPECT_EQ(result.visit_counts, (std::vector<int>{1, 1, 0}));
  EXPECT_EQ(*result.chosen_action, 1);
  EXPECT_FLOAT_EQ(result.action_values[1], 1.0f);
  EXPECT_EQ(result.policy_target[2], 0.0f);
  EXPECT_GT(result.policy_target[1], result.policy_target[0]);
}

// With Gumbel noise and nothing to tell the actions apart (all values and rewards 0), the
// final choice is the Gumbel-max trick over the prior: action 0 (prior 0.75) is chosen in about
// 75% of searches. 4000 seeded searches: binomial sd 0.0068, so +-0.03 is over 4 sd.
TEST(Gumbel, NoiseSamplesTheChoiceFromThePrior) {
  StubEvaluator evaluator(
      2, [](const LatentPath&) { return 0.0f; }, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath&) {
        return std::vector<float>{std::log(3.0f), 0.0f};
      });
  BatchedSearch search(gumbel_params(4, true), 1, 2);
  int zeros = 0;
  const int searches = 4000;
  for (int s = 0; s < searches; ++s) {
    const SearchResult r = search_one(search, evaluator, {0, 1}, 0, 1000 + s);
    EXPECT_EQ(r.visit_counts, (std::vector<int>{2, 2}));
    zeros += *r.chosen_action == 0;
  }
  EXPECT_NEAR(static_cast<double>(zeros) / searches, 0.75, 0.03);
}

// A perfect TicTacToe model from the position after `opening`: the reward of each move is the
// game's (1 for the winning move), moves after the end or onto taken squares earn 0, values 0,
// uniform priors. Both searches, given this model, must take a win and block a threat.
StubEvaluator perfect_tictactoe(std::vector<Action> opening) {
  auto reward = [opening](const LatentPath& p) {
    TicTacToe game;
    game.reset(0);
    for (Action a : opening) game.step(a);
    float r = 0.0f;
    for (Action a : p.actions) {
      const std::vector<Action> legal = game.legal_actions();
      if (game.is_terminal() || std::find(legal.begin(), legal.end(), a) == legal.end()) {
        return 0.0f;
      }
      r = static_cast<float>(game.step(a).reward);
    }
    return r;
  };
  return StubEvaluator(
      9, [](const LatentPath&) { return 0.0f; }, reward,
      [](const LatentPath&) { return std::vector<float>(9, 0.0f); });
}

TEST(Gumbel, WithAPerfectModelTakesTheWinAndBlocksTheThreat) {
  for (const char* algorithm : {"puct", "gumbel"}) {
    SCOPED_TRACE(algorithm);
    SearchParams params = gumbel_params(200, false);
    params.algorithm = algorithm;
    std::mt19937_64 rng(0);
    // X on 0 and 1, O on 3 and 4, X to move: 2 wins (5 would block O, but winning comes first).
    {
      StubEvaluator model = perfect_tictactoe({0, 3, 1, 4});
      BatchedSearch search(params, 2, 9);
      EXPECT_EQ(move_after_search(search_one(search, model, {2, 5, 6, 7, 8}, 0), 0.0, rng), 2);
    }
    // X on 0 and 8, O on 4 and 3, X to move: no win; O wins on 5 unless X takes it.
    {
      StubEvaluator model = perfect_tictactoe({0, 4, 8, 3});
      BatchedSearch search(params, 2, 9);
      EXPECT_EQ(move_after_search(search_one(search, model, {1, 2, 5, 6, 7}, 0), 0.0, rng), 5);
    }
  }
}

TEST(Gumbel, UnknownAlgorithmIsRefused) {
  SearchParams p;
  p.algorithm = "alphazero";
  EXPECT_THROW(BatchedSearch(p, 1, 2), std::invalid_argument);
}

}  // namespace
}  // namespace muzero
