#include "self_play/lockstep_self_play.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "games/cartpole.h"
#include "games/tictactoe.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

using testing::LatentPath;
using testing::StubEvaluator;
using testing::uniform_evaluator;

SelfPlayParams small_params(int max_moves) {
  SelfPlayParams p;
  p.search.num_simulations = 6;
  p.max_moves = max_moves;
  return p;
}

// Replaying a recorded game gives back its observations, rewards and players; its policies are
// distributions over legal moves only; each call makes one batched network call per simulation.
// For both search algorithms (gumbel records its improved policy instead of the visits).
TEST(LockstepSelfPlay, RecordsConsistentTicTacToeGames) {
  for (const char* algorithm : {"puct", "gumbel"}) {
    SCOPED_TRACE(algorithm);
    StubEvaluator evaluator = uniform_evaluator(9);
    SelfPlayParams params = small_params(9);
    params.search.algorithm = algorithm;
    LockstepSelfPlay self_play([] { return std::make_unique<TicTacToe>(); }, 4, params, 1);
    std::vector<GameHistory> games;
    int calls = 0;
    while (games.size() < 8) {
      for (GameHistory& g : self_play.step(evaluator, 1.0)) games.push_back(std::move(g));
      ++calls;
    }
    EXPECT_EQ(evaluator.batch_sizes, std::vector<int>(calls * 7, 4));
    for (const GameHistory& g : games) {
      TicTacToe replay;
      replay.reset(0);
      ASSERT_EQ(std::vector<float>(g.observation(0).begin(), g.observation(0).end()),
                replay.observation());
      for (int i = 0; i < g.num_moves(); ++i) {
        const auto policy = g.policy(i);
        EXPECT_NEAR(std::accumulate(policy.begin(), policy.end(), 0.0), 1.0, 1e-6);
        const std::vector<Action> legal = replay.legal_actions();
        for (Action a = 0; a < 9; ++a) {
          if (std::find(legal.begin(), legal.end(), a) == legal.end()) {
            EXPECT_EQ(policy[a], 0.0f);
          }
        }
        EXPECT_EQ(g.to_play[i], replay.to_play());
        const StepResult r = replay.step(g.actions[i + 1]);
        EXPECT_EQ(g.rewards[i + 1], r.reward);
        EXPECT_EQ(std::vector<float>(g.observation(i + 1).begin(), g.observation(i + 1).end()),
                  r.observation);
      }
      EXPECT_TRUE(replay.is_terminal());
      EXPECT_FALSE(g.truncated) << "finished games are not truncated";
    }
  }
}

TEST(LockstepSelfPlay, CutsGamesOffAtMaxMoves) {
  StubEvaluator evaluator = uniform_evaluator(2);
  LockstepSelfPlay self_play([] { return std::make_unique<CartPole>(); }, 3, small_params(5), 2);
  std::vector<GameHistory> games;
  for (int i = 0; i < 5; ++i) {
    for (GameHistory& g : self_play.step(evaluator, 1.0)) games.push_back(std::move(g));
  }
  ASSERT_EQ(games.size(), 3u);
  for (const GameHistory& g : games) {
    EXPECT_EQ(g.num_moves(), 5);
    EXPECT_TRUE(g.truncated) << "cut off by max_moves, not finished";
  }
}

// With random_opening_moves 3, records start after 0 to 3 unrecorded random moves, each count
// about equally often, with the right player to move; the recorded rest replays as played. A
// limit of 5 moves counts the opening: the record plus the opening is at most 5 moves.
TEST(LockstepSelfPlay, RandomOpeningsStartRecordsAfterUpToNRandomMoves) {
  StubEvaluator evaluator = uniform_evaluator(9);
  SelfPlayParams params = small_params(5);
  params.random_opening_moves = 3;
  LockstepSelfPlay self_play([] { return std::make_unique<TicTacToe>(); }, 4, params, 5);
  std::vector<int> records_by_opening(4, 0);
  std::set<std::vector<float>> first_positions;
  int games = 0;
  for (int calls = 0; games < 200 && calls < 2000; ++calls) {
    for (const GameHistory& g : self_play.step(evaluator, 1.0)) {
      ++games;
      const auto first = g.observation(0);
      first_positions.insert(std::vector<float>(first.begin(), first.end()));
      // Stones on the board: the first two planes (own and opponent's).
      const int stones = static_cast<int>(std::count(first.begin(), first.begin() + 18, 1.0f));
      ASSERT_LE(stones, 3);
      ++records_by_opening[stones];
      EXPECT_EQ(g.to_play[0], stones % 2);
      EXPECT_LE(stones + g.num_moves(), 5);
      EXPECT_EQ(g.truncated, stones + g.num_moves() == 5 && g.rewards.back() == 0.0f);
    }
  }
  ASSERT_EQ(games, 200);
  for (int stones = 0; stones <= 3; ++stones) {
    EXPECT_GT(records_by_opening[stones], 30) << stones << " opening moves";
  }
  EXPECT_GT(first_positions.size(), 40u);  // of 1 + 9 + 72 + 252 possible
}

// A one-player game that a random opening can end (CartPole falls within about 10-40 random
// moves) starts again rather than handing over an empty record; no record is empty.
TEST(LockstepSelfPlay, RandomOpeningsThatEndTheGameStartAgain) {
  StubEvaluator evaluator = uniform_evaluator(2);
  SelfPlayParams params = small_params(500);
  params.random_opening_moves = 60;
  LockstepSelfPlay self_play([] { return std::make_unique<CartPole>(); }, 4, params, 6);
  int games = 0;
  for (int calls = 0; games < 20 && calls < 5000; ++calls) {
    for (const GameHistory& g : self_play.step(evaluator, 1.0)) {
      ++games;
      EXPECT_GE(g.num_moves(), 1);
    }
  }
  EXPECT_EQ(games, 20);
}

// A policy that mildly prefers cell 8 spreads the visits: sampled first moves vary, but from
// the temperature threshold (here move 0) on, the most visited move (8) is always played.
TEST(LockstepSelfPlay, TemperatureThresholdMakesLaterMovesGreedy) {
  StubEvaluator evaluator(
      9, [](const LatentPath&) { return 0.0f; }, [](const LatentPath&) { return 0.0f; },
      [](const LatentPath&) {
        std::vector<float> logits(9, 0.0f);
        logits[8] = 1.0f;
        return logits;
      });
  auto first_moves = [&](std::optional<int> threshold) {
    SelfPlayParams params = small_params(9);
    params.search.num_simulations = 20;
    params.search.add_exploration_noise = false;
    params.temperature_threshold = threshold;
    LockstepSelfPlay self_play([] { return std::make_unique<TicTacToe>(); }, 8, params, 3);
    std::set<Action> moves;
    int finished = 0;
    while (finished < 8) {
      for (const GameHistory& g : self_play.step(evaluator, 1.0)) {
        moves.insert(g.actions[1]);
        ++finished;
      }
    }
    return moves;
  };
  EXPECT_EQ(first_moves(0), std::set<Action>{8});
  EXPECT_GT(first_moves(std::nullopt).size(), 1u);
}

}  // namespace
}  // namespace muzero
