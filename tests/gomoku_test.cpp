#include "games/gomoku.h"

#include <gtest/gtest.h>

#include <random>

namespace muzero {
namespace {

Action at(const Gomoku& game, const char* name) {
  return *game.action_from_string(name);
}

// Plays moves given in notation, alternating players from X.
void play(Gomoku& game, std::initializer_list<const char*> moves) {
  for (const char* move : moves) game.step(at(game, move));
}

// Five in a row wins in every direction, an overline wins too (freestyle), four does not.
TEST(Gomoku, FiveInARowWinsInEveryDirection) {
  struct Line {
    std::initializer_list<const char*> x, o;
  };
  const Line lines[] = {{{"a1", "b1", "c1", "d1", "e1"}, {"a5", "b5", "c5", "d5"}},
                        {{"c3", "c4", "c5", "c6", "c7"}, {"h1", "h2", "h3", "h4"}},
                        {{"b2", "c3", "d4", "e5", "f6"}, {"a9", "b9", "c9", "d9"}},
                        {{"k1", "j2", "i3", "h4", "g5"}, {"a11", "b11", "c11", "d11"}}};
  for (const Line& line : lines) {
    Gomoku game;
    game.reset(0);
    auto o = line.o.begin();
    StepResult last;
    for (const char* x : line.x) {
      last = game.step(at(game, x));
      if (last.done) break;
      game.step(at(game, *o++));
    }
    EXPECT_TRUE(last.done);
    EXPECT_EQ(last.reward, 1.0f);
    EXPECT_EQ(game.winner(), 0);
  }
  Gomoku overline;
  overline.reset(0);
  play(overline, {"a1", "a5", "b1", "b5", "d1", "c5", "e1", "d5", "f1", "k11"});  // X: a b _ d e f
  EXPECT_FALSE(overline.is_terminal());
  EXPECT_EQ(overline.winning_moves(0), std::vector<Action>{at(overline, "c1")});  // six in a row
  EXPECT_EQ(overline.winning_moves(1), std::vector<Action>{at(overline, "e5")});  // O's a5..d5
  EXPECT_EQ(overline.step(at(overline, "c1")).reward, 1.0f);
}

// The expert takes a win, else blocks the opponent's, else extends its longest line.
TEST(Gomoku, ExpertWinsBlocksAndExtends) {
  Gomoku game;
  game.reset(3);
  EXPECT_EQ(game.action_to_string(*game.expert_action()), "f6");        // the centre first
  play(game, {"a1", "a5", "b1", "b5", "c1", "c5", "k11", "d5", "d1"});  // X: e1 wins; O: e5
  EXPECT_EQ(game.action_to_string(*game.expert_action()), "e5");        // O wins rather than blocks
  Gomoku block;
  block.reset(3);
  play(block, {"a1", "k11", "b1", "k10", "c1", "j11", "d1"});  // X threatens e1 only
  EXPECT_EQ(block.action_to_string(*block.expert_action()), "e1");
  Gomoku extend;
  extend.reset(3);
  play(extend, {"f6", "a11", "f7", "b11"});  // X to move: a third stone on the f column
  const std::string move = extend.action_to_string(*extend.expert_action());
  EXPECT_TRUE(move == "f5" || move == "f8") << move;
}

// Against a random player the expert wins nearly every game from either seat.
TEST(Gomoku, ExpertBeatsRandom) {
  std::mt19937_64 rng(5);
  for (int seat = 0; seat < 2; ++seat) {
    int wins = 0;
    for (int g = 0; g < 20; ++g) {
      Gomoku game;
      game.reset(static_cast<std::uint64_t>(g));
      while (!game.is_terminal()) {
        Action a;
        if (game.to_play() == seat) {
          a = *game.expert_action();
        } else {
          const auto legal = game.legal_actions();
          a = legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
        }
        game.step(a);
      }
      wins += game.winner() == seat;
    }
    EXPECT_GE(wins, 19) << "seat " << seat;
  }
}

TEST(Gomoku, Notation) {
  Gomoku game;
  game.reset(0);
  EXPECT_EQ(game.action_to_string(0), "a1");
  EXPECT_EQ(game.action_to_string(120), "k11");
  EXPECT_EQ(at(game, "k11"), 120);
  EXPECT_FALSE(game.action_from_string("l1"));
  EXPECT_FALSE(game.action_from_string("a12"));
  EXPECT_FALSE(game.action_from_string("a0"));
  EXPECT_EQ(game.symmetries().size(), 7u);
}

}  // namespace
}  // namespace muzero
