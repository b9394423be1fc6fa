#include "self_play/analysis.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "games/connect4.h"
#include "games/tictactoe.h"
#include "tests/tictactoe_oracle.h"

namespace muzero {
namespace {

TEST(Analysis, PlaysMovesInNotationOrAsActionNumbers) {
  TicTacToe game;
  game.reset(0);
  EXPECT_FALSE(play_moves(game, "b2 #0  a3").has_value());  // spaces may repeat
  EXPECT_EQ(game.board()[4], 1);
  EXPECT_EQ(game.board()[0], 2);
  EXPECT_EQ(game.board()[6], 1);
  TicTacToe again;
  again.reset(0);
  EXPECT_EQ(play_moves(again, "b2 b2").value(), "move 2 'b2': illegal here");
  again.reset(0);
  EXPECT_EQ(play_moves(again, "b2 z9").value(),
            "move 2 'z9': not a move of this game (its notation, or #ACTION)");
  again.reset(0);
  EXPECT_TRUE(play_moves(again, "#9").has_value()) << "action 9 is outside 0..8";
  again.reset(0);
  EXPECT_TRUE(play_moves(again, "#x").has_value());
  again.reset(0);
  // X takes the top row: a1 b1 c1 are cells 0 1 2 (column letter, row number).
  EXPECT_EQ(play_moves(again, "a1 a2 b1 b2 c1 c2").value(),
            "move 6 'c2': the game is already over");
  Connect4 connect4;
  connect4.reset(0);
  EXPECT_FALSE(play_moves(connect4, "4 4 #0").has_value());
  EXPECT_EQ(connect4.board()[0][0], 1);
}

TEST(Analysis, JsonStringsAreEscaped) {
  EXPECT_EQ(json_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
  EXPECT_EQ(json_string(std::string_view("\x01", 1)), "\"\\u0001\"");
}

// With an evaluator that knows TicTacToe exactly, the analysis finds the win in one that the
// shipped agent once missed (issue 27: O X . / O X X / . . ., O to move wins at a3), and says
// where the visits went; bad lines get an error and the engine goes on.
TEST(Analysis, AnswersEachLineWithTheSearchOrAnError) {
  testing::TicTacToeOracle oracle;
  SearchParams search;
  search.num_simulations = 100;
  Analyzer analyzer([] { return std::make_unique<TicTacToe>(); }, search, oracle);
  // X b1, O a1, X b2, O a2, X c2: O (to move) completes the a column at a3 (action 6).
  const std::string answer = analyzer.analyze("b1 a1 b2 a2 c2");
  EXPECT_NE(answer.find("\"moves\":5,\"to_play\":1,\"action\":6,\"move\":\"a3\""),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\"visits\":["), std::string::npos);
  EXPECT_NE(answer.find("\"legal\":[2,6,7,8]"), std::string::npos) << answer;
  // Visits and priors cover the whole action space: 9 numbers each, 0 for occupied cells.
  const auto count_in = [&](const std::string& key) {
    const std::size_t start = answer.find("\"" + key + "\":[");
    const std::size_t end = answer.find(']', start);
    const std::string list = answer.substr(start, end - start);
    return std::count(list.begin(), list.end(), ',') + 1;
  };
  EXPECT_EQ(count_in("visits"), 9);
  EXPECT_EQ(count_in("prior"), 9);
  EXPECT_NE(answer.find("\"visits\":[0,0,"), std::string::npos) << answer;
  const std::string start = analyzer.analyze("");
  EXPECT_NE(start.find("\"moves\":0,\"to_play\":0"), std::string::npos) << start;
  EXPECT_NE(start.find("\"value\":0"), std::string::npos) << "perfect play draws: " << start;
  EXPECT_EQ(analyzer.analyze("b2 b2"),
            "{\"moves\":\"b2 b2\",\"error\":\"move 2 'b2': illegal here\"}");
  EXPECT_EQ(analyzer.analyze("a1 a2 b1 b2 c1"),
            "{\"moves\":\"a1 a2 b1 b2 c1\",\"error\":\"the game is over here\"}");
}

}  // namespace
}  // namespace muzero
