// The shipped TicTacToe agent against the solved game: the learning issue's targets, kept true by
// every build that could replace the checkpoint or change how it is searched.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "games/tictactoe.h"
#include "muzero/agent.h"
#include "self_play/action_selection.h"
#include "self_play/every_line.h"
#include "self_play/mcts.h"

namespace muzero {
namespace {

Agent shipped_tictactoe() {
  return load_agent(std::string(MUZERO_SOURCE_DIR) + "/models/pretrained/tictactoe.pt");
}

SearchParams evaluation_search(const Agent& agent) {
  SearchParams search = agent.config.self_play.search;
  search.add_exploration_noise = false;  // as evaluate plays
  return search;
}

// The move `evaluate` plays (the checkpoint's search, no noise, the most visited move) keeps the
// solved value in at least 99% of the 4,520 reachable positions.
TEST(ShippedTicTacToe, PlaysAnOptimalMoveInAtLeast99PercentOfAllPositions) {
  Agent agent = shipped_tictactoe();
  const std::unique_ptr<NetworkEvaluator> evaluator = make_agent_evaluator(agent, "");
  const std::vector<TicTacToe> positions = TicTacToe::reachable_positions();
  std::vector<std::vector<float>> observations;
  for (const TicTacToe& p : positions) observations.push_back(p.observation());
  std::vector<SearchRoot> roots;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    roots.push_back({observations[i], positions[i].legal_actions(), positions[i].to_play()});
  }
  std::vector<std::mt19937_64> rngs(roots.size());
  BatchedSearch search(evaluation_search(agent), 2, 9);
  const std::vector<SearchResult> results = search.run(*evaluator, roots, rngs);
  std::mt19937_64 unused(0);
  int optimal = 0;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Action chosen = move_after_search(results[i], 0.0, unused);
    const std::vector<Action> best = positions[i].optimal_moves();
    optimal += std::find(best.begin(), best.end(), chosen) != best.end();
  }
  EXPECT_GE(optimal, 4475) << optimal << " of 4520 (4475 is 99%)";
}

// Against every possible line of replies, from either seat, it never loses.
TEST(ShippedTicTacToe, LosesNoLineOfRepliesFromEitherSeat) {
  Agent agent = shipped_tictactoe();
  const std::unique_ptr<NetworkEvaluator> evaluator = make_agent_evaluator(agent, "");
  for (int seat : {0, 1}) {
    const EveryLineResult lines =
        play_every_line([] { return std::make_unique<TicTacToe>(); }, *evaluator,
                        evaluation_search(agent), seat, 1000000, 9);
    EXPECT_TRUE(lines.complete);
    EXPECT_GT(lines.lines, 50) << "seat " << seat;
    EXPECT_EQ(lines.losses, 0) << "seat " << seat << ", first lost line: "
                               << ::testing::PrintToString(lines.first_loss);
  }
}

}  // namespace
}  // namespace muzero
