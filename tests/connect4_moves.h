#pragma once
// Connect4 positions for tests, written as the columns played.
#include <string>

#include "games/connect4.h"

namespace muzero::testing {

// Plays columns given as 1-based digits from the empty board, e.g. "4455".
inline Connect4 connect4_after(const std::string& columns) {
  Connect4 game;
  game.reset(0);
  for (char c : columns) game.step(c - '1');
  return game;
}

}  // namespace muzero::testing
