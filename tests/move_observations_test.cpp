// Observations after every move (training.all_moves_consistency_loss_weight): what the game gives
// for each move, how self-play records them, how they are checked, travel and reach a batch.
#include "games/move_observations.h"

#include <gtest/gtest.h>

#include <cmath>

#include "games/cartpole.h"
#include "games/tictactoe.h"
#include "muzero/ipc/messages.h"
#include "replay_buffer/game_record_check.h"
#include "replay_buffer/replay_buffer.h"
#include "self_play/lockstep_self_play.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

CartPole cartpole_at(const CartPole::State& state) {
  CartPole game;
  game.reset(0);
  game.set_state(state);
  return game;
}

// Each row is the observation the move leads to; the game itself is not changed.
TEST(MoveObservations, EachRowIsWhereTheMoveLeads) {
  const CartPole game = cartpole_at({0.1, -0.2, 0.03, 0.4});
  const MoveObservations moves = move_observations(game);
  ASSERT_EQ(moves.observations.size(), 8u);
  ASSERT_EQ(moves.known, (std::vector<std::uint8_t>{1, 1}));
  for (Action a = 0; a < 2; ++a) {
    CartPole copy = game;
    const std::vector<float> expected = copy.step(a).observation;
    for (int i = 0; i < 4; ++i) EXPECT_EQ(moves.observations[a * 4 + i], expected[i]) << a;
  }
  // Pushing left slows the cart down (x_dot falls), pushing right speeds it up.
  EXPECT_LT(moves.observations[1], moves.observations[4 + 1]);
  EXPECT_EQ(game.observation()[0], 0.1f) << "the game itself is not changed";
  EXPECT_EQ(game.steps(), 0);
}

// Near failure: the pole falls right, past 12 degrees after one more step whatever the cart
// does (Euler steps move the pole by its old speed): neither move leads to a position.
TEST(MoveObservations, AMoveThatEndsTheGameIsNotKnown) {
  const CartPole game = cartpole_at({0.0, 0.0, 0.2, 2.0});
  const MoveObservations moves = move_observations(game);
  EXPECT_EQ(moves.known, (std::vector<std::uint8_t>{0, 0}));
  for (float v : moves.observations) EXPECT_EQ(v, 0.0f);
}

// TicTacToe: illegal moves and the winning move are unknown, every other legal move known.
TEST(MoveObservations, IllegalAndWinningMovesAreNotKnown) {
  TicTacToe game;
  game.reset(0);
  for (Action a : {0, 3, 1, 4}) game.step(a);  // X: a1 b1; O: a2 b2; X to move, c1 wins
  const MoveObservations moves = move_observations(game);
  for (Action a = 0; a < 9; ++a) {
    const bool known = a != 0 && a != 1 && a != 3 && a != 4 && a != 2;
    EXPECT_EQ(moves.known[a], known ? 1 : 0) << a;
  }
  EXPECT_THROW(
      {
        TicTacToe over = game;
        over.step(2);
        move_observations(over);
      },
      std::logic_error);
}

// Self-play records, at every position, the row of the move played equal to the next
// observation (CartPole is deterministic), and the flags of the rules.
TEST(MoveObservations, SelfPlayRecordsThemAtEveryPosition) {
  testing::StubEvaluator evaluator = testing::uniform_evaluator(2);
  SelfPlayParams params;
  params.search.num_simulations = 4;
  params.max_moves = 60;
  params.record_move_observations = true;
  LockstepSelfPlay self_play([] { return std::make_unique<CartPole>(); }, 2, params, 3);
  std::vector<GameHistory> games;
  for (int i = 0; i < 200 && games.size() < 3; ++i) {
    for (GameHistory& g : self_play.step(evaluator, 1.0)) games.push_back(std::move(g));
  }
  ASSERT_EQ(games.size(), 3u);
  for (const GameHistory& g : games) {
    ASSERT_TRUE(g.has_move_observations());
    for (int i = 0; i < g.num_moves(); ++i) {
      const Action played = g.actions[i + 1];
      const auto rows = g.move_observations_at(i);
      const auto known = g.move_observations_known_at(i);
      const bool ends = i + 1 == g.num_moves() && !g.truncated;
      EXPECT_EQ(known[played], ends ? 0 : 1) << i;
      if (ends) continue;
      const auto next = g.observation(i + 1);
      for (int k = 0; k < 4; ++k) EXPECT_EQ(rows[played * 4 + k], next[k]) << i;
      // The other move leads elsewhere.
      EXPECT_NE(rows[(1 - played) * 4 + 1], next[1]) << i;
    }
  }
  SelfPlayParams off = params;
  off.record_move_observations = false;
  LockstepSelfPlay plain([] { return std::make_unique<CartPole>(); }, 1, off, 3);
  std::vector<GameHistory> plain_games;
  for (int i = 0; i < 200 && plain_games.empty(); ++i) plain_games = plain.step(evaluator, 1.0);
  ASSERT_FALSE(plain_games.empty());
  EXPECT_FALSE(plain_games[0].has_move_observations());
  EXPECT_TRUE(plain_games[0].move_observations.empty());
}

// Two positions of a 1-value, 3-action game: at position 0 move 2 is unknown.
GameHistory small_game() {
  GameHistory game(1, 3, std::vector<float>{0.0f}, 0);
  game.add_move_observations(std::vector<float>{10, 11, 0}, std::vector<std::uint8_t>{1, 1, 0});
  game.add_move(std::vector<float>{0.5f, 0.5f, 0.0f}, 0.0f, 1, 1.0f, std::vector<float>{11}, 0);
  game.add_move_observations(std::vector<float>{20, 21, 22}, std::vector<std::uint8_t>{1, 1, 1});
  game.add_move(std::vector<float>{0.0f, 0.0f, 1.0f}, 0.0f, 2, 1.0f, std::vector<float>{22}, 0);
  return game;
}

TEST(MoveObservations, HistoryRefusesRowsOfTheWrongSizeOrPosition) {
  GameHistory game(1, 3, std::vector<float>{0.0f}, 0);
  EXPECT_THROW(
      game.add_move_observations(std::vector<float>(2, 0.0f), std::vector<std::uint8_t>(3, 1)),
      std::invalid_argument);
  game.add_move_observations(std::vector<float>(3, 0.0f), std::vector<std::uint8_t>(3, 1));
  EXPECT_THROW(
      game.add_move_observations(std::vector<float>(3, 0.0f), std::vector<std::uint8_t>(3, 1)),
      std::invalid_argument)
      << "one per position, before its move";
  EXPECT_TRUE(small_game().has_move_observations());
}

// The batch holds each sample's first position's rows and flags; under a symmetry that reverses
// the actions (and leaves the 1-value observation as it is), row a moves to 2 - a.
TEST(MoveObservations, ReplayBatchesCarryThemRelabelledWithTheSample) {
  ReplayParams p;
  p.targets.num_unroll_steps = 1;
  p.prioritized = false;
  p.move_observations = true;
  ReplayBuffer buffer(p);
  buffer.add(small_game());
  std::mt19937_64 rng(2);
  const Batch batch = buffer.sample(200, rng);
  ASSERT_EQ(batch.move_observations.size(), 600u);
  ASSERT_EQ(batch.move_observation_mask.size(), 600u);
  int firsts = 0;
  for (int b = 0; b < 200; ++b) {
    const int position = batch.positions[b].position;
    firsts += position == 0;
    for (int a = 0; a < 3; ++a) {
      const float expected = position == 0 ? (a == 2 ? 0.0f : 10.0f + a) : 20.0f + a;
      EXPECT_EQ(batch.move_observations[b * 3 + a], expected);
      EXPECT_EQ(batch.move_observation_mask[b * 3 + a], position == 0 && a == 2 ? 0.0f : 1.0f);
    }
  }
  EXPECT_GT(firsts, 0);
  EXPECT_LT(firsts, 200);

  ReplayParams mirrored = p;
  mirrored.augment_symmetries = true;
  mirrored.symmetries = {Symmetry{{0}, {2, 1, 0}}};
  ReplayBuffer relabelled(mirrored);
  relabelled.add(small_game());
  const Batch both = relabelled.sample(400, rng);
  int flipped = 0;
  for (int b = 0; b < 400; ++b) {
    if (both.positions[b].position != 0) continue;
    const bool mirror = both.move_observation_mask[b * 3 + 0] == 0.0f;
    flipped += mirror;
    const std::vector<float> rows(both.move_observations.begin() + b * 3,
                                  both.move_observations.begin() + b * 3 + 3);
    EXPECT_EQ(rows, mirror ? std::vector<float>({0, 11, 10}) : std::vector<float>({10, 11, 0}));
    // The played move (1) is its own image; its policy moves with the rows.
    EXPECT_EQ(both.target_policies[b * 6 + (mirror ? 2 : 0)], 0.5f);
  }
  EXPECT_GT(flipped, 0);

  ReplayParams off;
  ReplayBuffer without(off);
  without.add(small_game());
  EXPECT_TRUE(without.sample(4, rng).move_observations.empty());
}

TEST(MoveObservations, GameRecordsAndBatchesCarryThemOverIpc) {
  const GameHistory game = small_game();
  const GameHistory back = decode_game(encode_game(game));
  EXPECT_EQ(back.move_observations, game.move_observations);
  EXPECT_EQ(back.move_observation_known, game.move_observation_known);
  GameHistory short_rows = game;
  short_rows.move_observations.pop_back();
  EXPECT_THROW(decode_game(encode_game(short_rows)), DecodeError);
  GameHistory nan_row = game;
  nan_row.move_observations[2] = std::nanf("");  // even an unknown row must be finite
  EXPECT_THROW(decode_game(encode_game(nan_row)), DecodeError);
  GameHistory bad_flag = game;
  bad_flag.move_observation_known[0] = 2;
  EXPECT_THROW(decode_game(encode_game(bad_flag)), DecodeError);
  GameHistory illegal = game;
  illegal.legal_masks = {1, 1, 0, 1, 1, 1};
  illegal.target_steps = {-1, -1};
  EXPECT_NO_THROW(decode_game(encode_game(illegal))) << "move 2 at position 0 is unknown";
  illegal.move_observation_known[2] = 1;
  EXPECT_THROW(decode_game(encode_game(illegal)), DecodeError) << "known after an illegal move";

  ReplayParams p;
  p.targets.num_unroll_steps = 1;
  p.move_observations = true;
  ReplayBuffer buffer(p);
  buffer.add(game);
  std::mt19937_64 rng(1);
  const BatchReply reply{true, 1, 1, buffer.sample(6, rng)};
  const BatchReply batch_back = decode_batch_reply(encode_batch_reply(reply));
  EXPECT_EQ(batch_back.batch.move_observations, reply.batch.move_observations);
  EXPECT_EQ(batch_back.batch.move_observation_mask, reply.batch.move_observation_mask);
  BatchReply bad = reply;
  bad.batch.move_observation_mask[0] = 0.5f;
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad)), DecodeError);
  bad = reply;
  bad.batch.move_observations.pop_back();
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad)), DecodeError);
  bad = reply;
  bad.batch.move_observations[1] = INFINITY;
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad)), DecodeError);
}

// Records from peers are checked against the run: the rows' shape and finiteness.
TEST(MoveObservations, TheRecordCheckRefusesRowsThatDoNotFit) {
  GameRecordRules rules;
  rules.game = {"three", {1, 1, 1}, 3, 1};
  rules.max_moves = 10;
  GameHistory game = small_game();
  EXPECT_NO_THROW(check_game_record(game, rules));
  game.move_observation_known.pop_back();
  EXPECT_THROW(check_game_record(game, rules), InvalidGameRecord);
  game = small_game();
  game.move_observations[4] = INFINITY;
  EXPECT_THROW(check_game_record(game, rules), InvalidGameRecord);
  game = small_game();
  game.move_observation_known[1] = 7;
  EXPECT_THROW(check_game_record(game, rules), InvalidGameRecord);
}

}  // namespace
}  // namespace muzero
