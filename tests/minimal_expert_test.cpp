#include "self_play/minimal_expert.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "games/connect4.h"
#include "games/tictactoe.h"

namespace muzero {
namespace {

// X: a1 b1; O: a2 b2 (cells 0 1 for X, 3 4 for O), X to move: c1 (2) wins, so does nothing else.
TEST(MinimalExpert, TakesAWinThenBlocksThenPlaysAtRandom) {
  TicTacToe game;
  game.reset(0);
  for (Action a : {0, 3, 1, 4}) game.step(a);
  std::mt19937_64 rng(1);
  EXPECT_EQ(game.winning_moves(0), std::vector<Action>{2});
  EXPECT_EQ(game.winning_moves(1), std::vector<Action>{5});
  for (int i = 0; i < 20; ++i) EXPECT_EQ(minimal_expert_action(game, rng), 2);
  // O to move after X plays elsewhere (c3, 8): O wins at 5 rather than blocking X at 2.
  game.step(8);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(minimal_expert_action(game, rng), 5);

  // X: a1; O: b2; X: a2 (0, 4, 3): O must block at a3 (6), having no win of its own.
  TicTacToe block;
  block.reset(0);
  for (Action a : {0, 4, 3}) block.step(a);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(minimal_expert_action(block, rng), 6);

  // No win and no threat: every legal move, about equally often.
  TicTacToe open;
  open.reset(0);
  std::map<Action, int> counts;
  for (int i = 0; i < 900; ++i) ++counts[minimal_expert_action(open, rng)];
  EXPECT_EQ(counts.size(), 9u);
  for (const auto& [action, count] : counts) EXPECT_NEAR(count, 100, 40) << action;
}

// On random Connect4 positions, the choice is a win when there is one, else a block, else any
// legal move; wins and threats are found independently here by playing the moves out.
TEST(MinimalExpert, Connect4ChoicesAgreeWithPlayingTheMovesOut) {
  std::mt19937_64 rng(7);
  int with_win = 0, with_block = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Connect4 game;
    game.reset(0);
    const int opening = std::uniform_int_distribution<int>(0, 20)(rng);
    for (int i = 0; i < opening && !game.is_terminal(); ++i) {
      const auto legal = game.legal_actions();
      game.step(legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)]);
    }
    if (game.is_terminal()) continue;
    std::set<Action> wins, threats;
    for (Action a : game.legal_actions()) {
      Connect4 next = game;
      if (next.step(a).reward > 0) wins.insert(a);
      // The opponent's threat at column a: after one of our other moves (not in column a),
      // the opponent wins by playing a.
      for (Action other : game.legal_actions()) {
        if (other == a) continue;
        Connect4 after = game;
        if (!after.step(other).done && !after.is_terminal()) {
          Connect4 reply = after;
          if (reply.step(a).reward > 0) threats.insert(a);
        }
        break;
      }
    }
    const Action chosen = minimal_expert_action(game, rng);
    if (!wins.empty()) {
      ++with_win;
      EXPECT_TRUE(wins.count(chosen)) << game.render();
    } else if (!threats.empty()) {
      ++with_block;
      EXPECT_TRUE(threats.count(chosen)) << game.render();
    }
  }
  EXPECT_GT(with_win, 10);
  EXPECT_GT(with_block, 10);
}

}  // namespace
}  // namespace muzero
