#include "self_play/evaluation.h"

#include <gtest/gtest.h>

#include "games/tictactoe.h"
#include "tests/tictactoe_oracle.h"

namespace muzero {
namespace {

std::vector<EpisodeResult> play_tictactoe(Opponent opponent, int seat, int games, int simulations) {
  testing::TicTacToeOracle oracle;
  EpisodeSettings settings;
  settings.search.num_simulations = simulations;
  settings.search.discount = 1.0;
  settings.max_moves = 9;
  settings.opponent = opponent;
  settings.muzero_player = seat;
  std::vector<std::uint64_t> seeds(games);
  for (int i = 0; i < games; ++i) seeds[i] = i;
  std::mt19937_64 rng(seat);
  return play_episodes([] { return std::make_unique<TicTacToe>(); }, seeds, oracle, settings, rng);
}

// A search over exact values plays perfectly: every game against the perfect expert is a draw,
// from either seat, and it never loses to a random player.
TEST(Evaluation, PerfectSearchDrawsEveryGameAgainstTheExpert) {
  for (int seat = 0; seat < 2; ++seat) {
    const auto episodes = play_tictactoe(Opponent::kExpert, seat, 8, 200);
    const EvaluationSummary s = summarize(episodes, seat);
    EXPECT_TRUE(s.two_player);
    EXPECT_EQ(s.games, 8);
    EXPECT_EQ(s.wins.count, 0) << "seat " << seat;
    EXPECT_EQ(s.draws.count, 8) << "seat " << seat;
    EXPECT_EQ(s.losses.count, 0) << "seat " << seat;
  }
}

TEST(Evaluation, PerfectSearchNeverLosesToRandom) {
  for (int seat = 0; seat < 2; ++seat) {
    const EvaluationSummary s = summarize(play_tictactoe(Opponent::kRandom, seat, 30, 200), seat);
    EXPECT_EQ(s.losses.count, 0) << "seat " << seat;
    EXPECT_GT(s.wins.count, 20) << "seat " << seat;  // random play loses most games
    EXPECT_EQ(s.wins.count + s.draws.count, 30);
  }
}

// Known values of the Wilson interval (z = 1.96).
TEST(Evaluation, WilsonIntervalByHand) {
  const Proportion half = wilson_interval(50, 100);
  EXPECT_NEAR(half.low, 0.4038, 1e-4);
  EXPECT_NEAR(half.high, 0.5962, 1e-4);
  const Proportion none = wilson_interval(0, 10);
  EXPECT_DOUBLE_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.2775, 1e-4);
  const Proportion all = wilson_interval(10, 10);
  EXPECT_NEAR(all.low, 0.7225, 1e-4);
  EXPECT_DOUBLE_EQ(all.high, 1.0);
}

TEST(Evaluation, OnePlayerSummaryAndJson) {
  std::vector<EpisodeResult> episodes(2);
  episodes[0].total_reward = 10;
  episodes[0].length = 10;
  episodes[1].total_reward = 20;
  episodes[1].length = 20;
  const EvaluationSummary s = summarize(episodes, 0);
  EXPECT_FALSE(s.two_player);
  EXPECT_DOUBLE_EQ(s.mean_reward, 15);
  EXPECT_DOUBLE_EQ(s.std_reward, 5);
  EXPECT_EQ(to_json(s),
            "{\"games\":2,\"distinct_games\":1,\"mean_reward\":15,\"std_reward\":5,"
            "\"mean_length\":15}");
  EXPECT_NE(to_text(s).find("reward  15.00 +- 5.00"), std::string::npos);
}

// Two identical two-player games are one game twice: the text says so.
TEST(Evaluation, RepeatedGamesAreCountedOnce) {
  std::vector<EpisodeResult> episodes(3);
  for (EpisodeResult& e : episodes) {
    e.rewards_by_player = {1, 0};
    e.moves = {4, 0, 8};
  }
  episodes[2].moves = {0, 4, 8};
  const EvaluationSummary s = summarize(episodes, 0);
  EXPECT_EQ(s.distinct_games, 2);
  EXPECT_EQ(s.wins.count, 3);
  EXPECT_NE(to_text(s).find("distinct    2"), std::string::npos) << to_text(s);
}

}  // namespace
}  // namespace muzero
