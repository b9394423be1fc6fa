#include "self_play/episode.h"

#include <gtest/gtest.h>

#include <set>

#include "games/cartpole.h"
#include "games/tictactoe.h"
#include "self_play/evaluation.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

using testing::LatentPath;
using testing::StubEvaluator;
using testing::uniform_evaluator;

EpisodeSettings settings(Opponent opponent, int muzero_player, int max_moves) {
  EpisodeSettings s;
  s.search.num_simulations = 4;
  s.opponent = opponent;
  s.muzero_player = muzero_player;
  s.max_moves = max_moves;
  return s;
}

// The expert never loses, so a weak MuZero never wins against it, in either seat; the
// searches of all episodes share each network call.
TEST(Episodes, ExpertOpponentTakesItsSeatAndNeverLoses) {
  for (int seat = 0; seat < 2; ++seat) {
    StubEvaluator evaluator = uniform_evaluator(9);
    std::mt19937_64 rng(seat);
    const std::vector<std::uint64_t> seeds{1, 2, 3, 4, 5, 6};
    const auto results = play_episodes([] { return std::make_unique<TicTacToe>(); }, seeds,
                                       evaluator, settings(Opponent::kExpert, seat, 9), rng);
    ASSERT_EQ(results.size(), 6u);
    double expert_wins = 0;
    for (const EpisodeResult& r : results) {
      EXPECT_EQ(r.muzero_reward, 0.0);
      EXPECT_GE(r.length, 5);
      EXPECT_LE(r.length, 9);
      expert_wins += r.opponent_reward;
    }
    EXPECT_GT(expert_wins, 0) << "the expert should beat a uniform policy sometimes";
    for (int size : evaluator.batch_sizes) EXPECT_GT(size, 1);
  }
}

// A search over uniform outputs and the expert are both deterministic: every game is the same
// one, until random openings vary them. The moves are recorded in order.
TEST(Episodes, RandomOpeningsVaryGamesAgainstADeterministicExpert) {
  const std::vector<std::uint64_t> seeds{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  for (int opening : {0, 2}) {
    StubEvaluator evaluator = uniform_evaluator(9);
    std::mt19937_64 rng(7);
    EpisodeSettings s = settings(Opponent::kExpert, 1, 9);
    s.random_opening_moves = opening;
    const auto results =
        play_episodes([] { return std::make_unique<TicTacToe>(); }, seeds, evaluator, s, rng);
    std::set<std::vector<Action>> distinct;
    for (const EpisodeResult& r : results) {
      ASSERT_EQ(static_cast<int>(r.moves.size()), r.length);
      TicTacToe replay;
      replay.reset(0);
      for (Action a : r.moves) replay.step(a);  // throws if a recorded move were illegal
      EXPECT_TRUE(replay.is_terminal());
      distinct.insert(r.moves);
    }
    if (opening == 0) {
      EXPECT_EQ(distinct.size(), 1u);
      EXPECT_EQ(summarize(results, 1).distinct_games, 1);
    } else {
      EXPECT_GT(distinct.size(), 4u) << "two random moves give up to 72 openings";
      EXPECT_EQ(summarize(results, 1).distinct_games, static_cast<int>(distinct.size()));
    }
  }
}

TEST(Episodes, SelfPlayCountsEveryMoveAsMuZeros) {
  StubEvaluator evaluator = uniform_evaluator(9);
  std::mt19937_64 rng(0);
  const std::vector<std::uint64_t> seeds{0};
  const auto results = play_episodes([] { return std::make_unique<TicTacToe>(); }, seeds, evaluator,
                                     settings(Opponent::kSelf, 0, 9), rng);
  EXPECT_EQ(results[0].opponent_reward, 0.0);
  EXPECT_EQ(results[0].muzero_reward, results[0].total_reward);
}

TEST(Episodes, OnePlayerEpisodesStopAtMaxMovesAndSumRewards) {
  StubEvaluator evaluator = uniform_evaluator(2);
  std::mt19937_64 rng(0);
  const std::vector<std::uint64_t> seeds{10, 11, 12};
  const auto results = play_episodes([] { return std::make_unique<CartPole>(); }, seeds, evaluator,
                                     settings(Opponent::kSelf, 0, 7), rng);
  for (const EpisodeResult& r : results) {
    EXPECT_LE(r.length, 7);
    EXPECT_DOUBLE_EQ(r.total_reward, r.length);  // CartPole pays 1 per step
  }
}

}  // namespace
}  // namespace muzero
