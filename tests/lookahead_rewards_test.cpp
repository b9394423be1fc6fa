// Lookahead rewards (training.lookahead_reward_loss_weight): what the rules give every move and
// reply, how the replay buffer draws a move and reply from them, and how they travel.
#include "games/lookahead_rewards.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "games/tictactoe.h"
#include "muzero/ipc/messages.h"
#include "replay_buffer/replay_buffer.h"
#include "replay_buffer/targets.h"
#include "self_play/lockstep_self_play.h"
#include "tests/connect4_moves.h"
#include "tests/history_builder.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

float reply_reward(const std::vector<float>& rewards, int move, int reply) {
  return rewards[7 + move * 7 + reply];
}

// X: a1 a2 b1, O: g1 g2 g3, X to move. No move of X's wins; after any move but g, O's reply g
// (g4) wins and no other reply does; after g nothing wins.
TEST(LookaheadRewards, Connect4ThreatByHand) {
  const Connect4 game = testing::connect4_after("171727");
  const std::vector<float> rewards = lookahead_rewards(game);
  ASSERT_EQ(rewards.size(), 7u + 49u);
  for (int move = 0; move < 7; ++move) {
    EXPECT_EQ(rewards[move], 0.0f) << move;
    for (int reply = 0; reply < 7; ++reply) {
      const float expected = move != 6 && reply == 6 ? 1.0f : 0.0f;
      EXPECT_EQ(reply_reward(rewards, move, reply), expected) << move << " " << reply;
    }
  }
  EXPECT_EQ(game.legal_actions().size(), 7u) << "the game itself is not changed";
}

// X: a1 b1 c1, O: a2 b2 c2, X to move: d wins and ends the game, so every reply after it is 0
// (the absorbing state). O's row needs d2, and no other move of X's fills d1 under it, so no
// reply wins either.
TEST(LookaheadRewards, AWinEndsTheGameAndItsRepliesAreZero) {
  const std::vector<float> rewards = lookahead_rewards(testing::connect4_after("112233"));
  for (int move = 0; move < 7; ++move) {
    EXPECT_EQ(rewards[move], move == 3 ? 1.0f : 0.0f) << move;
    for (int reply = 0; reply < 7; ++reply) {
      EXPECT_EQ(reply_reward(rewards, move, reply), 0.0f) << move << " " << reply;
    }
  }
}

// Illegal moves and replies are NaN: column a is full.
TEST(LookaheadRewards, IllegalMovesAndRepliesAreNaN) {
  const std::vector<float> rewards = lookahead_rewards(testing::connect4_after("111111"));
  EXPECT_TRUE(std::isnan(rewards[0]));
  for (int reply = 0; reply < 7; ++reply) {
    EXPECT_TRUE(std::isnan(reply_reward(rewards, 0, reply))) << reply;
  }
  for (int move = 1; move < 7; ++move) {
    EXPECT_EQ(rewards[move], 0.0f);
    EXPECT_TRUE(std::isnan(reply_reward(rewards, move, 0))) << move;
    EXPECT_EQ(reply_reward(rewards, move, 1), 0.0f) << move;
  }
  Connect4 over = testing::connect4_after("1122334");
  EXPECT_THROW(lookahead_rewards(over), std::invalid_argument);
}

// A one-position game over 3 actions: move 0 earns 0, move 1 earns 1, move 2 is illegal; after
// move 0, reply 0 is illegal, reply 1 earns 1, reply 2 earns 0; move 1 ends the game.
GameHistory three_action_game() {
  GameHistory game(1, 3, std::vector<float>{0.0f}, 0);
  const float nan = std::nanf("");
  game.add_lookahead_rewards(std::vector<float>{0, 1, nan, nan, 1, 0, 0, 0, 0, nan, nan, nan});
  game.add_move(std::vector<float>{0.5f, 0.5f, 0.0f}, 0.0f, 1, 1.0f, std::vector<float>{1.0f}, 1);
  return game;
}

// Half the draws are among the rewarded moves, half uniform over the legal ones: move 1 with
// probability 1/2 + 1/4, move 0 with 1/4, move 2 never. The same for replies: after move 0,
// reply 1 with 3/4 and reply 2 with 1/4; after move 1 (game over) any of the 3 with reward 0.
TEST(LookaheadTarget, DrawsLegalMovesFavouringRewardedOnes) {
  const GameHistory game = three_action_game();
  std::mt19937_64 rng(4);
  std::map<std::pair<int, int>, int> counts;
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    const LookaheadTarget t = make_lookahead_target(game, 0, rng);
    ASSERT_EQ(t.mask, 1.0f);
    ASSERT_EQ(t.move_reward, t.move == 1 ? 1.0f : 0.0f);
    ASSERT_EQ(t.reply_reward, t.move == 0 && t.reply == 1 ? 1.0f : 0.0f);
    ++counts[{static_cast<int>(t.move), static_cast<int>(t.reply)}];
  }
  const auto share = [&](int move, int reply) {
    return static_cast<double>(counts[{move, reply}]) / n;
  };
  EXPECT_EQ(counts.count({0, 0}), 0u) << "illegal reply";
  EXPECT_EQ(counts.count({2, 0}) + counts.count({2, 1}) + counts.count({2, 2}), 0u);
  EXPECT_NEAR(share(0, 1), 0.25 * 0.75, 0.01);
  EXPECT_NEAR(share(0, 2), 0.25 * 0.25, 0.01);
  for (int reply = 0; reply < 3; ++reply) EXPECT_NEAR(share(1, reply), 0.75 / 3, 0.01);

  const GameHistory plain = testing::make_history({0, 1}, {0, 1}, {0.0f}, 3);
  EXPECT_EQ(make_lookahead_target(plain, 0, rng).mask, 0.0f) << "no lookahead recorded";
}

TEST(LookaheadTarget, HistoryRefusesLookaheadOfTheWrongSizeOrPosition) {
  GameHistory game(1, 2, std::vector<float>{0.0f}, 0);
  EXPECT_THROW(game.add_lookahead_rewards(std::vector<float>(5, 0.0f)), std::invalid_argument);
  game.add_lookahead_rewards(std::vector<float>(6, 0.0f));
  EXPECT_THROW(game.add_lookahead_rewards(std::vector<float>(6, 0.0f)), std::invalid_argument)
      << "one per position, before its move";
}

// The batch carries each sample's move and reply with their rewards, relabelled with the rest of
// the sample: the symmetry reverses the 3 actions, so move 1 stays and reply 1 becomes 1, move 0
// becomes 2.
TEST(LookaheadTarget, ReplayBatchesCarryThemRelabelledWithTheSample) {
  ReplayParams p;
  p.targets.num_unroll_steps = 1;
  p.lookahead_rewards = true;
  p.augment_symmetries = true;
  p.symmetries = {Symmetry{{0}, {2, 1, 0}}};
  ReplayBuffer buffer(p);
  buffer.add(three_action_game());
  std::mt19937_64 rng(6);
  const Batch batch = buffer.sample(4000, rng);
  ASSERT_EQ(batch.lookahead_actions.size(), 8000u);
  int moves_two = 0;
  for (int b = 0; b < 4000; ++b) {
    const std::int64_t move = batch.lookahead_actions[2 * b];
    const std::int64_t reply = batch.lookahead_actions[2 * b + 1];
    EXPECT_EQ(batch.lookahead_mask[2 * b], 1.0f);
    EXPECT_EQ(batch.lookahead_rewards[2 * b], move == 1 ? 1.0f : 0.0f);
    // Move 0 (relabelled 2, the first policy entry moving to the last) has reply 1 rewarded.
    const bool first_move = move != 1;
    EXPECT_EQ(batch.lookahead_rewards[2 * b + 1], first_move && reply == 1 ? 1.0f : 0.0f);
    if (first_move) {
      const bool relabelled = batch.target_policies[b * 6 + 2] == 0.5f;
      EXPECT_EQ(move, relabelled ? 2 : 0) << b;
      EXPECT_NE(reply, relabelled ? 2 : 0) << "the illegal reply, relabelled or not";
      moves_two += relabelled;
    }
  }
  EXPECT_GT(moves_two, 0);

  ReplayParams off;
  ReplayBuffer without(off);
  without.add(three_action_game());
  EXPECT_TRUE(without.sample(4, rng).lookahead_actions.empty());
}

TEST(LookaheadTarget, GamesAndBatchesCarryThemOverIpc) {
  const GameHistory game = three_action_game();
  const GameHistory back = decode_game(encode_game(game));
  ASSERT_EQ(back.lookahead_rewards.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_TRUE(back.lookahead_rewards[i] == game.lookahead_rewards[i] ||
                (std::isnan(back.lookahead_rewards[i]) && std::isnan(game.lookahead_rewards[i])));
  }
  GameHistory short_lookahead = game;
  short_lookahead.lookahead_rewards.pop_back();
  EXPECT_THROW(decode_game(encode_game(short_lookahead)), DecodeError);
  GameHistory infinite = game;
  infinite.lookahead_rewards[0] = INFINITY;
  EXPECT_THROW(decode_game(encode_game(infinite)), DecodeError);

  ReplayParams p;
  p.targets.num_unroll_steps = 1;
  p.lookahead_rewards = true;
  ReplayBuffer buffer(p);
  buffer.add(game);
  std::mt19937_64 rng(1);
  const BatchReply reply{true, 1, 1, buffer.sample(6, rng)};
  const BatchReply batch_back = decode_batch_reply(encode_batch_reply(reply));
  EXPECT_EQ(batch_back.batch.lookahead_actions, reply.batch.lookahead_actions);
  EXPECT_EQ(batch_back.batch.lookahead_rewards, reply.batch.lookahead_rewards);
  EXPECT_EQ(batch_back.batch.lookahead_mask, reply.batch.lookahead_mask);
  BatchReply bad = reply;
  bad.batch.lookahead_actions[0] = 3;
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad)), DecodeError);
  bad = reply;
  bad.batch.lookahead_mask.pop_back();
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad)), DecodeError);
}

// Self-play records, at every position, exactly what lookahead_rewards gives for it.
TEST(LookaheadTarget, SelfPlayRecordsThemForEveryPosition) {
  testing::StubEvaluator evaluator = testing::uniform_evaluator(9);
  SelfPlayParams params;
  params.search.num_simulations = 4;
  params.max_moves = 9;
  params.record_lookahead_rewards = true;
  LockstepSelfPlay self_play([] { return std::make_unique<TicTacToe>(); }, 2, params, 3);
  std::vector<GameHistory> games;
  while (games.size() < 2) {
    for (GameHistory& g : self_play.step(evaluator, 1.0)) games.push_back(std::move(g));
  }
  for (const GameHistory& g : games) {
    ASSERT_EQ(g.lookahead_rewards.size(), g.num_moves() * lookahead_size(9));
    TicTacToe replay;
    replay.reset(0);
    for (int i = 0; i < g.num_moves(); ++i) {
      const std::vector<float> expected = lookahead_rewards(replay);
      const auto recorded = g.lookahead(i);
      for (std::size_t e = 0; e < expected.size(); ++e) {
        ASSERT_TRUE(recorded[e] == expected[e] ||
                    (std::isnan(recorded[e]) && std::isnan(expected[e])))
            << "position " << i << " entry " << e;
      }
      replay.step(g.actions[i + 1]);
    }
  }
}

}  // namespace
}  // namespace muzero
