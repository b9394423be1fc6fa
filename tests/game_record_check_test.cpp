// A game record enters a run's replay buffer only if it fits the run's game: every way a
// well-formed record can be wrong is refused, naming what is wrong.
#include "replay_buffer/game_record_check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "games/registry.h"
#include "replay_buffer/replay_buffer.h"
#include "tests/history_builder.h"

namespace muzero {
namespace {

// make_history's games: observations of 1 value, 2 actions; two players here.
const GameRecordRules kRules{{"test", {1, 1, 1}, 2, 2}, 10};

GameHistory a_game() {
  return testing::make_history({0, 1, 0, -1}, {0, 1, 0, 1}, {0.5f, 0.1f, -0.2f});
}

std::string refusal(const GameHistory& game, const GameRecordRules& rules = kRules) {
  try {
    check_game_record(game, rules);
  } catch (const InvalidGameRecord& error) {
    return error.what();
  }
  return "accepted";
}

TEST(GameRecordCheck, AcceptsAGameOfTheRun) {
  EXPECT_EQ(refusal(a_game()), "accepted");
}

TEST(GameRecordCheck, RefusesEachWayARecordCanBeWrong) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::string prefix = "game record refused: ";
  GameRecordRules other_game = kRules;
  other_game.game.observation_shape = {1, 1, 4};
  EXPECT_EQ(refusal(a_game(), other_game), prefix + "observations of 1 values, but test's have 4");
  GameRecordRules more_actions = kRules;
  more_actions.game.action_space_size = 3;
  EXPECT_EQ(refusal(a_game(), more_actions), prefix + "2 actions, but test has 3");
  GameRecordRules short_games = kRules;
  short_games.max_moves = 2;
  EXPECT_EQ(refusal(a_game(), short_games), prefix + "3 moves, more than the run's max_moves 2");

  GameHistory g = a_game();
  g.to_play[2] = 2;
  EXPECT_EQ(refusal(g), prefix + "player 2 at position 2, but test has 2 players");
  g = a_game();
  g.observations[3] = nan;
  EXPECT_EQ(refusal(g), prefix + "an observation that is not finite at position 3");
  g = a_game();
  g.rewards[1] = inf;
  EXPECT_EQ(refusal(g), prefix + "a reward that is not a finite number at position 1");
  g = a_game();
  g.root_values[2] = nan;
  EXPECT_EQ(refusal(g), prefix + "a root value that is not finite at position 2");
  g = a_game();
  g.child_visits[0] = 0.5f;  // the position's policy was one-hot on action 0
  EXPECT_EQ(refusal(g), prefix + "a policy that sums to 0.500000 at position 0, not 1");
  g = a_game();
  g.child_visits[2] = -1.0f;
  g.child_visits[3] = 2.0f;  // sums to 1, but is no distribution
  EXPECT_EQ(refusal(g), prefix + "a policy entry that is negative or not finite at position 1");
  g = a_game();
  g.actions[3] = 2;
  EXPECT_EQ(refusal(g), prefix + "action 2 at position 3 is out of range");
  g = a_game();
  g.actions[0] = 1;
  EXPECT_EQ(refusal(g), prefix + "the first position has a move that led to it");
  g = a_game();
  g.observations.pop_back();
  EXPECT_EQ(refusal(g), prefix + "its arrays disagree in length");
  g = a_game();
  g.lookahead_rewards.assign(5, 0.0f);
  EXPECT_EQ(refusal(g), prefix + "lookahead rewards for the wrong number of moves or actions");
  g.lookahead_rewards.assign(3 * 6, nan);  // NaN marks an illegal move: allowed
  EXPECT_EQ(refusal(g), "accepted");
  g.lookahead_rewards[4] = inf;
  EXPECT_EQ(refusal(g), prefix + "an infinite lookahead reward");
}

// The last guard: batches are shaped after the stored games, so a game of another shape would
// overrun them (it did: a heap overflow in sample()).
TEST(GameRecordCheck, TheReplayBufferRefusesAGameOfAnotherShape) {
  ReplayBuffer buffer(ReplayParams{});
  buffer.add(a_game());
  GameHistory wider(3, 2, std::vector<float>(3, 0.0f), 0);
  wider.add_move(std::vector<float>{1.0f, 0.0f}, 0.0f, 0, 0.0f, std::vector<float>(3, 0.0f), 0);
  EXPECT_THROW(buffer.add(wider), std::invalid_argument);
  EXPECT_EQ(buffer.num_games(), 1);
}

TEST(GameSpec, IsWhatTheGameReports) {
  for (const std::string& name : registered_game_names()) {
    const GameSpec spec = game_spec(name);
    const auto game = make_game(name);
    EXPECT_EQ(spec.name, name);
    EXPECT_EQ(spec.observation_shape, game->observation_shape()) << name;
    EXPECT_EQ(spec.action_space_size, game->action_space_size()) << name;
    EXPECT_EQ(spec.num_players, game->num_players()) << name;
  }
  EXPECT_EQ(game_spec("tictactoe").action_space_size, 9);
  EXPECT_EQ(game_spec("connect4_threats").observation_shape.channels, 5);
  EXPECT_THROW(game_spec("chess"), std::invalid_argument);
}

}  // namespace
}  // namespace muzero
