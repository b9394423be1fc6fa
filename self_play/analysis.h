#pragma once
// The analysis engine behind `muzero analyze` (in the spirit of KataGo's): a position is a line
// of moves from the start, each in the game's notation (TicTacToe `b2`, Connect4 `4`) or as an
// action number written `#N`, separated by spaces (an empty line is the start position). It is
// searched as `evaluate` searches (no noise) and answered with one JSON line:
//   {"moves": N, "to_play": P, "action": A, "move": "b2", "value": V, "network_value": V0,
//    "visits": [... per action ...], "prior": [... per action ...], "legal": [...]}
// or, for a line that names no reachable position, {"moves": "...", "error": "..."}.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "games/game.h"
#include "self_play/evaluator.h"
#include "self_play/mcts.h"

namespace muzero {

// Plays the moves of `line` on `game` (already reset); returns why it cannot, or nullopt.
// `played`, when given, counts the moves played.
std::optional<std::string> play_moves(Game& game, std::string_view line, int* played = nullptr);

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

class Analyzer {
 public:
  Analyzer(std::function<std::unique_ptr<Game>()> make_game, SearchParams search,
           Evaluator& evaluator);
  // One JSON line (no newline) for the position `line` names.
  std::string analyze(std::string_view line);

 private:
  std::function<std::unique_ptr<Game>()> make_game_;
  SearchParams search_;
  Evaluator& evaluator_;
};

}  // namespace muzero
