#include "self_play/alpha_beta.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <stdexcept>

#include "games/connect4.h"
#include "games/tictactoe.h"
#include "self_play/episode.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

// The value for the player who moved of playing `action` in `game`, under perfect play.
int solved_move_value(const TicTacToe& game, Action action) {
  TicTacToe next = game;
  const float reward = next.step(action).reward;
  return next.is_terminal() ? static_cast<int>(reward) : -next.solved_value();
}

// Searched to the end (9 plies), every move it scores best is optimal in every reachable
// TicTacToe position, and its score says the game's outcome: it never loses against any line
// of replies, from either seat.
TEST(AlphaBeta, PlaysPerfectTicTacToeInEveryReachablePosition) {
  const AlphaBeta search(9);
  int positions = 0;
  std::set<TicTacToe::Board> seen;
  std::function<void(const TicTacToe&)> visit = [&](const TicTacToe& game) {
    if (game.is_terminal() || !seen.insert(game.board()).second) return;
    ++positions;
    const int value = game.solved_value();
    const auto scores = search.move_scores(game);
    double best = -1e9;
    for (const auto& [action, score] : scores) best = std::max(best, score);
    for (const auto& [action, score] : scores) {
      if (score < best - 1e-9) continue;
      EXPECT_EQ(solved_move_value(game, action), value) << game.render() << "move " << action;
    }
    if (value == 1) {
      EXPECT_GT(best, AlphaBeta::kWinScore) << game.render();
    } else if (value == 0) {
      EXPECT_EQ(best, 0.0) << game.render();
    } else {
      EXPECT_LT(best, -AlphaBeta::kWinScore) << game.render();
    }
    for (const Action action : game.legal_actions()) {
      TicTacToe next = game;
      next.step(action);
      visit(next);
    }
  };
  TicTacToe start;
  start.reset(0);
  visit(start);
  EXPECT_EQ(positions, 4520);  // every position reachable with moves left
}

TEST(AlphaBeta, HeuristicCountsOpenLinesByHand) {
  // X in the centre, O to move: the 4 lines through it are X's, with 1 stone: -4 / (4 + 16).
  TicTacToe tictactoe;
  tictactoe.reset(0);
  EXPECT_EQ(tictactoe.heuristic_value(), 0.0);
  tictactoe.step(4);
  EXPECT_NEAR(tictactoe.heuristic_value(), -4.0 / 20.0, 1e-12);
  // Then O in corner 0: the main diagonal holds both; X keeps the middle row, the middle
  // column and the other diagonal (3), O has the top row and the left column (2). X to move:
  // 3 - 2 = 1 -> 1 / 17.
  tictactoe.step(0);
  EXPECT_NEAR(tictactoe.heuristic_value(), 1.0 / 17.0, 1e-12);
  // Connect4, one stone at the bottom of the centre column: it lies in 4 horizontal windows,
  // 1 vertical and 1 of each diagonal, all its own: -7 / 23 for the player to move.
  Connect4 connect4;
  connect4.reset(0);
  connect4.step(3);
  EXPECT_NEAR(connect4.heuristic_value(), -7.0 / 23.0, 1e-12);
}

TEST(AlphaBeta, Connect4TakesAWinAndBlocksALoss) {
  std::mt19937_64 rng(1);
  // X has three at the bottom (columns 1-3), O three above them; X to move wins at 0 or 4.
  Connect4 win;
  win.reset(0);
  for (const Action a : {1, 1, 2, 2, 3, 3}) win.step(a);
  for (int depth = 1; depth <= 4; ++depth) {
    const Action move = AlphaBeta(depth).choose(win, rng);
    EXPECT_TRUE(move == 0 || move == 4) << "depth " << depth << ": " << move;
  }
  // O to move after X's three at 1-3 with 0 and 4 open... O cannot stop both: it loses
  // whatever it does, but with X threatening only column 4 (0 blocked) O must block at 4.
  Connect4 block;
  block.reset(0);
  for (const Action a : {1, 0, 2, 6, 3}) block.step(a);  // X: 1, 2, 3; O: 0, 6
  for (int depth = 2; depth <= 4; ++depth) {
    EXPECT_EQ(AlphaBeta(depth).choose(block, rng), 4) << "depth " << depth;
  }
}

TEST(AlphaBeta, BreaksTiesAtRandom) {
  TicTacToe start;
  start.reset(0);
  const AlphaBeta search(9);  // every first move draws: all score 0
  std::set<Action> chosen;
  for (int seed = 0; seed < 30; ++seed) {
    std::mt19937_64 rng(seed);
    chosen.insert(search.choose(start, rng));
  }
  EXPECT_GE(chosen.size(), 5u);
}

TEST(AlphaBeta, BeatsRandomAtConnect4FromBothSeats) {
  std::mt19937_64 rng(7);
  const AlphaBeta search(4);
  int wins = 0, games = 0;
  for (int seat = 0; seat < 2; ++seat) {
    for (int g = 0; g < 10; ++g, ++games) {
      Connect4 game;
      game.reset(0);
      float reward_of_search = 0;
      while (!game.is_terminal()) {
        const bool searching = game.to_play() == seat;
        const std::vector<Action> legal = game.legal_actions();
        const Action a =
            searching ? search.choose(game, rng)
                      : legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
        const float reward = game.step(a).reward;
        reward_of_search += searching ? reward : -reward;
      }
      if (reward_of_search > 0) ++wins;
    }
  }
  EXPECT_GE(wins, games - 1) << wins << " of " << games;
}

TEST(AlphaBeta, ParsesAsAnOpponent) {
  const OpponentChoice choice = parse_opponent("alphabeta:3");
  EXPECT_EQ(choice.kind, Opponent::kAlphaBeta);
  EXPECT_EQ(choice.depth, 3);
  EXPECT_EQ(parse_opponent("alphabeta:20").depth, 20);
  for (const char* bad : {"alphabeta:0", "alphabeta:21", "alphabeta:", "alphabeta:x",
                          "alphabeta:3x", "alphabeta:-1", "alphabeta"}) {
    EXPECT_THROW(parse_opponent(bad), std::invalid_argument) << bad;
  }
  EXPECT_THROW(AlphaBeta(0), std::invalid_argument);
}

// In test episodes the alpha-beta opponent takes its seat; searched to the end it never loses
// to a uniform MuZero, and wins some.
TEST(AlphaBeta, TakesItsSeatInEpisodes) {
  for (int seat = 0; seat < 2; ++seat) {
    testing::StubEvaluator evaluator = testing::uniform_evaluator(9);
    std::mt19937_64 rng(seat);
    EpisodeSettings settings;
    settings.search.num_simulations = 4;
    settings.opponent = {Opponent::kAlphaBeta, 9};
    settings.muzero_player = seat;
    settings.max_moves = 9;
    const std::vector<std::uint64_t> seeds{1, 2, 3, 4, 5, 6};
    const auto results = play_episodes([] { return std::make_unique<TicTacToe>(); }, seeds,
                                       evaluator, settings, rng);
    double opponent_wins = 0;
    for (const EpisodeResult& r : results) {
      EXPECT_EQ(r.muzero_reward, 0.0);
      opponent_wins += r.opponent_reward;
    }
    EXPECT_GT(opponent_wins, 0) << "seat " << seat;
  }
}

}  // namespace
}  // namespace muzero
