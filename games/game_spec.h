#pragma once
// The fixed facts about a game, apart from any game in progress (OpenSpiel's Game against its
// State): the shape of its observations, its actions and its players. Every process of a run
// checks what it receives and loads against the spec of the run's game.
#include <string>

#include "games/game.h"

namespace muzero {

struct GameSpec {
  std::string name;
  ObservationShape observation_shape;
  int action_space_size = 0;
  int num_players = 0;
  bool operator==(const GameSpec&) const = default;
};

// The spec of a game as it is: what `game` reports.
GameSpec spec_of(const std::string& name, const Game& game);

}  // namespace muzero
