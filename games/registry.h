#pragma once
// Creates games by the name used in config files (`game.name`).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "games/game.h"
#include "games/game_spec.h"

namespace muzero {

using GameFactory = std::function<std::unique_ptr<Game>()>;

// Returns nullptr for an unknown name.
std::unique_ptr<Game> make_game(const std::string& name);
std::vector<std::string> registered_game_names();
// The spec of a registered game, asked of one instance once per name and process; throws
// std::invalid_argument for an unknown name.
GameSpec game_spec(const std::string& name);
// Adds a game (or replaces one of the same name); the built-in games are always present.
void register_game(const std::string& name, GameFactory factory);

}  // namespace muzero
