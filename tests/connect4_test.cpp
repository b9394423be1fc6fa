#include "games/connect4.h"

#include <gtest/gtest.h>

#include "tests/connect4_moves.h"

namespace muzero {
namespace {

Connect4 play(const std::string& columns) {
  return testing::connect4_after(columns);
}

TEST(Connect4, FourInARowWinsInEveryDirection) {
  // X plays the odd moves. Horizontal: a1 b1 c1 d1. Vertical: four in column a.
  // Rising diagonal: a1 b2 c3 d4 (the final move, into column d, lands on row 4).
  for (const std::string moves : {"1122334", "1213141", "12234334544"}) {
    Connect4 game = play(moves.substr(0, moves.size() - 1));
    EXPECT_FALSE(game.is_terminal()) << moves;
    const StepResult last = game.step(moves.back() - '1');
    EXPECT_TRUE(last.done) << moves << "\n" << game.render();
    EXPECT_FLOAT_EQ(last.reward, 1.0f);
    EXPECT_EQ(game.winner(), 0);
    EXPECT_TRUE(game.legal_actions().empty());
  }
}

TEST(Connect4, FallingDiagonalWinForTheSecondPlayer) {
  // O ends with g1 f2 e3 d4; the last move drops into column d.
  Connect4 game = play("577566342524345");
  ASSERT_FALSE(game.is_terminal()) << game.render();
  const StepResult last = game.step(3);
  EXPECT_TRUE(last.done) << game.render();
  EXPECT_EQ(game.winner(), 1);
  EXPECT_EQ(game.board()[0][6], 2);
  EXPECT_EQ(game.board()[1][5], 2);
  EXPECT_EQ(game.board()[2][4], 2);
  EXPECT_EQ(game.board()[3][3], 2);
}

TEST(Connect4, FullColumnsAreIllegal) {
  Connect4 game = play("111111");
  EXPECT_THROW(game.step(0), std::invalid_argument);
  EXPECT_EQ(game.legal_actions(), (std::vector<Action>{1, 2, 3, 4, 5, 6}));
  EXPECT_THROW(game.step(7), std::invalid_argument);
}

TEST(Connect4, ObservationIsFromThePlayerToMove) {
  Connect4 game = play("4");  // X in d1; O to move
  const std::vector<float> obs = game.observation();
  ASSERT_EQ(obs.size(), 3u * 42);
  EXPECT_FLOAT_EQ(obs[3], 0.0f);       // own plane (O): empty
  EXPECT_FLOAT_EQ(obs[42 + 3], 1.0f);  // opponent plane: X at row 0, column 3
  EXPECT_FLOAT_EQ(obs[84], -1.0f);     // player 1 to move
}

// The cells a plane marks, as row * 7 + column.
std::vector<int> marked(const std::vector<float>& observation, int plane) {
  std::vector<int> cells;
  for (int i = 0; i < 42; ++i) {
    if (observation[plane * 42 + i] != 0.0f) cells.push_back(i);
  }
  return cells;
}

TEST(Connect4, ThreatPlanesMarkTheCellsThatCompleteFour) {
  // X: a1 b1 c1, O: a2 b2 c2, X to move. X wins at d1; O would win at d2, not yet playable.
  Connect4 game(/*threat_planes=*/true);
  for (char column : std::string("112233")) game.step(column - '1');
  ASSERT_EQ(game.observation_shape(), (ObservationShape{5, 6, 7}));
  std::vector<float> obs = game.observation();
  ASSERT_EQ(obs.size(), 5u * 42);
  EXPECT_EQ(marked(obs, 0), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(marked(obs, 1), (std::vector<int>{7, 8, 9}));
  EXPECT_EQ(marked(obs, 3), std::vector<int>{3});   // own: d1
  EXPECT_EQ(marked(obs, 4), std::vector<int>{10});  // opponent: d2
  // X plays e1 instead (a1 b1 c1 _ e1): O to move, so the planes swap sides; d1 still
  // completes X's row, and a cell already taken is never marked.
  game.step(4);
  obs = game.observation();
  EXPECT_EQ(marked(obs, 3), std::vector<int>{10});
  EXPECT_EQ(marked(obs, 4), std::vector<int>{3});
  // A vertical three (X a1 a2 a3) marks a4, for X only.
  Connect4 vertical(true);
  for (char column : std::string("12121")) vertical.step(column - '1');
  obs = vertical.observation();  // O to move
  EXPECT_TRUE(marked(obs, 3).empty());
  EXPECT_EQ(marked(obs, 4), std::vector<int>{21});  // a4
  // The first three planes are the plain game's observation.
  const std::vector<float> plain = testing::connect4_after("12121").observation();
  EXPECT_EQ(std::vector<float>(obs.begin(), obs.begin() + 3 * 42), plain);
  EXPECT_EQ(vertical.observation(false), plain);
  EXPECT_EQ(Connect4().observation_shape(), (ObservationShape{3, 6, 7}));
}

TEST(Connect4, ExpertWinsBlocksAndAvoidsGivingAWin) {
  EXPECT_EQ(play("112233").expert_action(), 3);  // X completes the bottom row
  EXPECT_EQ(play("12121").expert_action(), 0);   // O blocks X's three in column 1
  // X to move with no threat either way: the centre column.
  EXPECT_EQ(play("").expert_action(), 3);
  // X to move, nobody can win at once, and a stone in the centre column would let O win on top
  // of it: the expert plays elsewhere and leaves O no winning reply.
  Connect4 trap = play("413574312273");
  ASSERT_FALSE(trap.is_terminal());
  const Action chosen = *trap.expert_action();
  Connect4 after = trap;
  after.step(chosen);
  for (Action reply : after.legal_actions()) {
    Connect4 next = after;
    next.step(reply);
    EXPECT_NE(next.winner(), 1) << "expert move " << chosen << " lets O win with " << reply << "\n"
                                << trap.render();
  }
}

TEST(Connect4, ActionStringsAreColumnNumbers) {
  Connect4 game;
  EXPECT_EQ(game.action_to_string(0), "1");
  EXPECT_EQ(game.action_from_string("7"), 6);
  EXPECT_FALSE(game.action_from_string("8"));
  EXPECT_FALSE(game.action_from_string("x"));
}

}  // namespace
}  // namespace muzero
