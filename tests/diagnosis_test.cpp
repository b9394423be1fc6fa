#include "self_play/diagnosis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "games/cartpole.h"
#include "games/tictactoe.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

using testing::LatentPath;
using testing::StubEvaluator;

TEST(Diagnosis, RealReturnsByHand) {
  // One player, discount 0.5: G2 = 1, G1 = 1 + 0.5, G0 = 1 + 0.5 * 1.5, and 0 at the end.
  const std::vector<float> one = real_returns({1, 1, 1}, {0, 0, 0, 0}, 0.5);
  EXPECT_EQ(one, (std::vector<float>{1.75f, 1.5f, 1.0f, 0.0f}));
  // Two players, player 0 wins with the third move: +1 where player 0 is to move, -1 where 1 is.
  const std::vector<float> two = real_returns({0, 0, 1}, {0, 1, 0, 1}, 1.0);
  EXPECT_EQ(two, (std::vector<float>{1.0f, -1.0f, 1.0f, 0.0f}));
  EXPECT_THROW(real_returns({1}, {0}, 1.0), std::invalid_argument);
}

// The unroll follows the actions really taken: each predicted value and reward is what the
// model gives for the root observation and that action path, the prior is the softmax of the
// root's logits over legal moves, and CartPole's real values are the closed-form discounted
// count of the steps left.
TEST(Diagnosis, UnrollsTheModelAlongTheMovesPlayed) {
  const auto value = [](const LatentPath& p) {
    float v = p.root;
    for (Action a : p.actions) v = 0.5f * v + 0.1f * static_cast<float>(a + 1);
    return v;
  };
  const auto reward = [](const LatentPath& p) {
    return 0.01f * static_cast<float>(p.actions.size()) + 0.001f * p.actions.back();
  };
  const auto logits = [](const LatentPath&) { return std::vector<float>{0.0f, std::log(3.0f)}; };
  StubEvaluator evaluator(2, value, reward, logits);
  CartPole game;
  DiagnoseSettings settings;
  settings.search.num_simulations = 8;
  settings.search.discount = 0.9;
  settings.max_moves = 40;
  settings.unroll_steps = 4;
  settings.at_moves = {0, 3, 1000};
  settings.seed = 5;
  const EpisodeDiagnosis d = diagnose_episode(game, evaluator, settings);
  const int L = static_cast<int>(d.actions.size());
  ASSERT_GE(L, 8);
  for (int t = 0; t <= L; ++t) {
    EXPECT_NEAR(d.real_values[t], (1 - std::pow(0.9, L - t)) / (1 - 0.9), 1e-4) << t;
  }
  EXPECT_EQ(d.truncated, L == 40);
  ASSERT_EQ(d.moves.size(), 2u);  // move 1000 is past the end
  CartPole replay;
  std::vector<std::vector<float>> observations{replay.reset(5)};
  for (Action a : d.actions) observations.push_back(replay.step(a).observation);
  for (const DiagnosedMove& move : d.moves) {
    EXPECT_NEAR(move.prior[0], 0.25f, 1e-6);
    EXPECT_NEAR(move.prior[1], 0.75f, 1e-6);
    ASSERT_EQ(move.unroll.size(), 5u);
    LatentPath path{observations[move.move][0], {}};
    for (std::size_t k = 0; k < move.unroll.size(); ++k) {
      const DiagnosedStep& step = move.unroll[k];
      EXPECT_EQ(step.position, move.move + static_cast<int>(k));
      if (k > 0) {
        path.actions.push_back(d.actions[move.move + k - 1]);
        EXPECT_EQ(step.action, path.actions.back());
        EXPECT_FLOAT_EQ(step.predicted_reward, reward(path));
        EXPECT_FLOAT_EQ(step.real_reward, 1.0f);
      }
      EXPECT_FLOAT_EQ(step.predicted_value, value(path));
      EXPECT_FLOAT_EQ(step.real_value, d.real_values[step.position]);
      EXPECT_FLOAT_EQ(step.search_value, d.search_values[step.position]);
    }
    // Each legal move, one dynamics step from the root, beside the real game after that move:
    // the stub's value of a real observation is its first number (the cart's position).
    ASSERT_EQ(move.actions.size(), 2u);
    int visits = 0;
    for (Action a = 0; a < 2; ++a) {
      const DiagnosedAction& tried = move.actions[a];
      EXPECT_EQ(tried.action, a);
      const LatentPath one_step{observations[move.move][0], {a}};
      EXPECT_FLOAT_EQ(tried.predicted_value, value(one_step));
      EXPECT_FLOAT_EQ(tried.predicted_reward, reward(one_step));
      CartPole real;
      real.reset(5);
      for (int m = 0; m < move.move; ++m) real.step(d.actions[m]);
      const StepResult step = real.step(a);
      EXPECT_FLOAT_EQ(tried.real_reward, step.reward);
      EXPECT_FALSE(tried.ends_game);
      EXPECT_FLOAT_EQ(tried.next_network_value, step.observation[0]);
      EXPECT_NE(tried.next_network_value, value(one_step));
      visits += tried.visits;
    }
    EXPECT_EQ(visits, 8);
    const Action played = d.actions[move.move];
    EXPECT_FLOAT_EQ(move.actions[played].predicted_value, move.unroll[1].predicted_value);
  }
}

// A move that ends the game is marked, and has no network value after it: every position of a
// few episodes, replayed, against the rules (wins and a full board end TicTacToe).
TEST(Diagnosis, AMoveThatEndsTheGameIsMarked) {
  auto evaluator = testing::uniform_evaluator(9);
  TicTacToe game;
  DiagnoseSettings settings;
  settings.search.num_simulations = 4;
  settings.search.discount = 1.0;
  settings.unroll_steps = 1;
  settings.at_moves = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  int positions_with_a_win = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    settings.seed = seed;
    const EpisodeDiagnosis d = diagnose_episode(game, evaluator, settings);
    ASSERT_EQ(d.moves.size(), d.actions.size());
    TicTacToe replay;
    replay.reset(seed);
    for (const DiagnosedMove& move : d.moves) {
      const std::vector<Action> legal = replay.legal_actions();
      const std::vector<Action> wins = replay.winning_moves(replay.to_play());
      positions_with_a_win += !wins.empty();
      ASSERT_EQ(move.actions.size(), legal.size());
      for (const DiagnosedAction& tried : move.actions) {
        const bool wins_now = std::find(wins.begin(), wins.end(), tried.action) != wins.end();
        EXPECT_EQ(tried.ends_game, wins_now || legal.size() == 1) << tried.action;
        EXPECT_FLOAT_EQ(tried.real_reward, wins_now ? 1.0f : 0.0f) << tried.action;
        if (tried.ends_game) {
          EXPECT_EQ(tried.next_network_value, 0.0f);
        }
      }
      replay.step(d.actions[move.move]);
    }
  }
  EXPECT_GT(positions_with_a_win, 0);
}

// A two-player game: the real values alternate in sign with the player to move, and an
// illegal move never gets prior.
TEST(Diagnosis, TwoPlayerValuesAreForThePlayerToMove) {
  auto evaluator = testing::uniform_evaluator(9);
  TicTacToe game;
  DiagnoseSettings settings;
  settings.search.num_simulations = 4;
  settings.search.discount = 1.0;
  settings.unroll_steps = 2;
  settings.at_moves = {2};
  const EpisodeDiagnosis d = diagnose_episode(game, evaluator, settings);
  const int L = static_cast<int>(d.actions.size());
  const float last = d.rewards.back();  // for the player who made the last move
  for (int t = 0; t < L; ++t) {
    EXPECT_FLOAT_EQ(d.real_values[t], d.to_play[t] == d.to_play[L - 1] ? last : -last) << t;
  }
  ASSERT_EQ(d.moves.size(), 1u);
  for (int m = 0; m < 2; ++m) EXPECT_EQ(d.moves[0].prior[d.actions[m]], 0.0f);  // taken
  EXPECT_NEAR(d.moves[0].prior[d.actions[2]], 1.0f / 7, 1e-6);
}

}  // namespace
}  // namespace muzero
