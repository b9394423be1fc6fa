// A TwentyOne checkpoint's whole strategy, exactly: the game has 200 decision states (the
// player's total 1..20 against the dealer's card 1..10), so the search is run once on each (no
// noise, the most visited move, as in evaluation) and the strategy is scored by the same dynamic
// programming that finds the optimal one. Prints the states where the checkpoint's move is not
// the optimal one with what each costs, the prior's and the search's exact expected score
// a hand, and the optimal strategy's. No sampling: two checkpoints compare without noise, where
// 10,000 played hands leave about +-0.01.
//   build/research/twentyone/twentyone_policy CHECKPOINT [SIMULATIONS]
#include <torch/torch.h>

#include <array>
#include <cstdio>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "games/twentyone.h"
#include "models/math_threads.h"
#include "muzero/agent.h"
#include "self_play/action_selection.h"
#include "self_play/mcts.h"

namespace muzero {
namespace {

constexpr int kMaxTotal = 20;  // 21 and over end the hand
constexpr int kCards = 10;

using Strategy = std::array<std::array<Action, kCards + 1>, kMaxTotal + 1>;  // [total][card]

// The exact expected reward of `strategy` from `total` against `dealer_card`.
double strategy_value(const Strategy& strategy, int total, int dealer_card) {
  if (total > 21) return -1.0;
  if (total == 21 || strategy[total][dealer_card] == TwentyOne::kStand) {
    return TwentyOne::stand_value(total, dealer_card);
  }
  double value = 0.0;
  for (int card = 1; card <= kCards; ++card) {
    value += TwentyOne::card_chance(card) * strategy_value(strategy, total + card, dealer_card);
  }
  return value;
}

// A hand starts with one card each.
double expected_score(const Strategy& strategy) {
  double score = 0.0;
  for (int player = 1; player <= kCards; ++player) {
    for (int dealer = 1; dealer <= kCards; ++dealer) {
      score += TwentyOne::card_chance(player) * TwentyOne::card_chance(dealer) *
               strategy_value(strategy, player, dealer);
    }
  }
  return score;
}

// The chance that a hand played by `strategy` reaches each state.
std::array<std::array<double, kCards + 1>, kMaxTotal + 1> reach(const Strategy& strategy) {
  std::array<std::array<double, kCards + 1>, kMaxTotal + 1> chance{};
  for (int dealer = 1; dealer <= kCards; ++dealer) {
    for (int player = 1; player <= kCards; ++player) {
      chance[player][dealer] += TwentyOne::card_chance(player) * TwentyOne::card_chance(dealer);
    }
    for (int total = 1; total <= kMaxTotal; ++total) {  // totals only grow: one pass suffices
      if (strategy[total][dealer] != TwentyOne::kHit) continue;
      for (int card = 1; card <= kCards && total + card <= kMaxTotal; ++card) {
        chance[total + card][dealer] += chance[total][dealer] * TwentyOne::card_chance(card);
      }
    }
  }
  return chance;
}

int run(const std::string& checkpoint, int simulations) {
  use_single_math_thread();
  torch::NoGradGuard no_grad;
  Agent agent = load_agent(checkpoint);
  if (agent.config.game_name != "twentyone") {
    std::fprintf(stderr, "twentyone_policy: %s is a %s checkpoint\n", checkpoint.c_str(),
                 agent.config.game_name.c_str());
    return 1;
  }
  const std::unique_ptr<NetworkEvaluator> evaluator = make_agent_evaluator(agent);
  SearchParams params = agent.config.self_play.search;
  params.add_exploration_noise = false;
  if (simulations > 0) params.num_simulations = simulations;

  // Every state in one lock-step batch.
  std::vector<float> observations;
  std::vector<std::array<int, 2>> states;
  for (int total = 1; total <= kMaxTotal; ++total) {
    for (int dealer = 1; dealer <= kCards; ++dealer) {
      observations.push_back(static_cast<float>(total) / 21.0f);  // TwentyOne::observation
      observations.push_back(static_cast<float>(dealer) / 21.0f);
      states.push_back({total, dealer});
    }
  }
  const std::vector<Action> legal{TwentyOne::kHit, TwentyOne::kStand};
  std::vector<SearchRoot> roots;
  std::vector<std::mt19937_64> rngs(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    roots.push_back({std::span<const float>(observations).subspan(2 * i, 2), legal, 0});
  }
  BatchedSearch search(params, 1, 2);
  const std::vector<SearchResult> results = search.run(*evaluator, roots, rngs);

  Strategy optimal{}, searched{}, prior{};
  std::mt19937_64 rng(0);
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto [total, dealer] = states[i];
    optimal[total][dealer] =
        TwentyOne::hit_value(total, dealer) > TwentyOne::stand_value(total, dealer)
            ? TwentyOne::kHit
            : TwentyOne::kStand;
    searched[total][dealer] = move_after_search(results[i], 0.0, rng);
    const SearchTree& tree = search.trees()[i];
    const Node& root = tree.nodes[0];
    const Node& first = tree.nodes[root.first_child];  // children in the order of `legal`
    const Node& second = tree.nodes[root.first_child + 1];
    prior[total][dealer] = first.prior >= second.prior ? first.action : second.action;
  }

  const auto reached = reach(searched);
  std::printf("%d simulations; states where the search's move is not optimal:\n",
              params.num_simulations);
  std::printf(
      "  total dealer  move    hit value  stand value  cost a visit  reached  cost a hand\n");
  int wrong = 0, wrong_prior = 0;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto [total, dealer] = states[i];
    wrong_prior += prior[total][dealer] != optimal[total][dealer];
    if (searched[total][dealer] == optimal[total][dealer]) continue;
    ++wrong;
    const double hit = TwentyOne::hit_value(total, dealer);
    const double stand = TwentyOne::stand_value(total, dealer);
    const double cost = std::abs(hit - stand);
    std::printf("  %5d %6d  %-6s  %+9.4f  %+11.4f  %12.4f  %7.4f  %11.5f\n", total, dealer,
                searched[total][dealer] == TwentyOne::kHit ? "hit" : "stand", hit, stand, cost,
                reached[total][dealer], cost * reached[total][dealer]);
  }
  std::printf("optimal moves: search %d of %zu states, prior %d\n",
              static_cast<int>(states.size()) - wrong, states.size(),
              static_cast<int>(states.size()) - wrong_prior);
  std::printf("expected score a hand: search %+.5f, prior %+.5f, optimal %+.5f\n",
              expected_score(searched), expected_score(prior), expected_score(optimal));
  return 0;
}

}  // namespace
}  // namespace muzero

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: twentyone_policy CHECKPOINT [SIMULATIONS]\n");
    return 2;
  }
  return muzero::run(argv[1], argc > 2 ? std::stoi(argv[2]) : 0);
}
