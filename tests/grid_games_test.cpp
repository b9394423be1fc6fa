#include <gtest/gtest.h>

#include <set>

#include "games/gridworld.h"
#include "games/simple_grid.h"

namespace muzero {
namespace {

// Transitions computed by hand: moves, turns, a wall that stops the agent, the goal's reward.
TEST(Gridworld, HandComputedTransitions) {
  Gridworld game;
  game.place(1, 1, 0);  // top-left free cell, facing east
  StepResult step = game.step(Gridworld::kForward);
  EXPECT_EQ(step.reward, 0.0f);
  EXPECT_FALSE(step.done);
  EXPECT_EQ(game.render(), "######\n#.>..#\n#....#\n#....#\n#...G#\n######\nstep 1\n");
  game.step(Gridworld::kTurnLeft);  // north
  game.step(Gridworld::kForward);   // into the wall: stays
  EXPECT_EQ(game.render(), "######\n#.^..#\n#....#\n#....#\n#...G#\n######\nstep 3\n");
  game.step(Gridworld::kTurnRight);
  game.step(Gridworld::kTurnRight);    // south
  EXPECT_EQ(game.moves_to_goal(), 6);  // 3 cells down, a turn east, 2 cells across
  EXPECT_DOUBLE_EQ(game.optimal_return(), 1.0 - 0.9 * (5 + 6) / 144.0);

  Gridworld next_to_goal;
  next_to_goal.place(4, 3, 0);
  step = next_to_goal.step(Gridworld::kForward);
  EXPECT_TRUE(step.done);
  EXPECT_FALSE(step.truncated);
  EXPECT_FLOAT_EQ(step.reward, static_cast<float>(1.0 - 0.9 / 144.0));
  EXPECT_TRUE(next_to_goal.legal_actions().empty());
}

TEST(Gridworld, CutOffAfter144MovesWithNothing) {
  Gridworld game;
  game.place(2, 2, 1);
  StepResult step;
  for (int i = 0; i < Gridworld::kMaxSteps; ++i) step = game.step(Gridworld::kTurnLeft);
  EXPECT_TRUE(step.done);
  EXPECT_TRUE(step.truncated);
  EXPECT_EQ(step.reward, 0.0f);
  EXPECT_THROW(game.step(Gridworld::kForward), std::logic_error);
}

// The fewest moves, by a formula rather than a search: the cells to cover plus the turns to
// face south and east (none, one or two, by the way the agent faces); and the expert's moves
// reach the goal in exactly that many, from every start.
TEST(Gridworld, ExpertTakesAShortestWayFromEveryStart) {
  int starts = 0;
  for (int row = 1; row <= 4; ++row) {
    for (int column = 1; column <= 4; ++column) {
      if (row == 4 && column == 4) continue;
      for (int direction = 0; direction < 4; ++direction) {
        const int down = 4 - row, across = 4 - column;
        int turns = 0;
        if (down > 0 && across > 0) {
          turns = direction == 0 || direction == 1 ? 1 : 2;
        } else if (down > 0) {
          turns = direction == 1 ? 0 : direction == 3 ? 2 : 1;
        } else {
          turns = direction == 0 ? 0 : direction == 2 ? 2 : 1;
        }
        Gridworld game;
        game.place(row, column, direction);
        ASSERT_EQ(game.moves_to_goal(), down + across + turns) << row << column << direction;
        const double best = game.optimal_return();
        int moves = 0;
        StepResult step;
        while (!game.is_terminal()) {
          step = game.step(*game.expert_action());
          ++moves;
        }
        EXPECT_EQ(moves, down + across + turns);
        EXPECT_FLOAT_EQ(step.reward, static_cast<float>(best));
        ++starts;
      }
    }
  }
  EXPECT_EQ(starts, 60);
}

TEST(Gridworld, RandomStartsAreFreeCellsFacingAnyWay) {
  std::set<std::vector<float>> seen;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    Gridworld game;
    const std::vector<float> planes = game.reset(seed);
    ASSERT_EQ(planes.size(), 6u * 36);
    float walls = 0, goal = 0, agent = 0;
    for (int i = 0; i < 36; ++i) {
      walls += planes[i];
      goal += planes[36 + i];
      for (int d = 0; d < 4; ++d) agent += planes[(2 + d) * 36 + i];
    }
    EXPECT_EQ(walls, 20);
    EXPECT_EQ(goal, 1);
    EXPECT_EQ(agent, 1);
    EXPECT_EQ(planes[(2 + 0) * 36 + 4 * 6 + 4] + planes[(2 + 1) * 36 + 4 * 6 + 4] +
                  planes[(2 + 2) * 36 + 4 * 6 + 4] + planes[(2 + 3) * 36 + 4 * 6 + 4],
              0.0f)
        << "never on the goal";
    seen.insert(planes);
  }
  EXPECT_EQ(seen.size(), 60u);  // 15 cells x 4 ways, all reached
}

// Moves that never push against an edge take 4 moves to the goal and earn 1; one against an
// edge wastes a move (muzero-general's wrapper: both moves are always legal).
TEST(SimpleGrid, TheGoalTakesFourMovesAndEdgesWasteMoves) {
  SimpleGrid game;
  game.reset(0);
  EXPECT_EQ(game.render(), "x..\n...\n..G\n");
  int moves = 0;
  float total = 0;
  while (!game.is_terminal()) {
    total += game.step(*game.expert_action()).reward;
    ++moves;
  }
  EXPECT_EQ(moves, 4);
  EXPECT_EQ(total, 1.0f);
  SimpleGrid edge;
  edge.reset(0);
  edge.step(SimpleGrid::kDown);
  edge.step(SimpleGrid::kDown);
  EXPECT_EQ(edge.legal_actions(), (std::vector<Action>{SimpleGrid::kDown, SimpleGrid::kRight}));
  const StepResult wasted = edge.step(SimpleGrid::kDown);
  EXPECT_EQ(wasted.reward, 0.0f);
  EXPECT_FALSE(wasted.done);
  EXPECT_EQ(edge.render(), "...\n...\nx.G\n");
  edge.step(SimpleGrid::kRight);
  const StepResult last = edge.step(SimpleGrid::kRight);
  EXPECT_TRUE(last.done);
  EXPECT_EQ(last.reward, 1.0f);
  EXPECT_THROW(edge.step(SimpleGrid::kRight), std::logic_error);
}

}  // namespace
}  // namespace muzero
